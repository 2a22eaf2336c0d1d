import type { Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { loadWorkflowFile } from '../workflow-file.js';

const graph: Command = {
  name: 'graph',
  summary: 'Print the task graph of a workflow (Mermaid or Graphviz dot)',
  usage: 'psr graph <workflow> [--format mermaid|dot]',
  description:
    'Validates the workflow, then prints one node per task and one edge per `needs` entry. ' +
    'A matrix task is one node labelled with its instance count (`build ×6`); a dynamic matrix, sized only during a run, is `test ×? (dynamic matrix)`.',
  positionals: [{ name: 'workflow', description: 'Workflow file' }],
  options: [{ name: 'format', short: 'f', type: 'string', valueName: 'format', choices: ['mermaid', 'dot'], default: 'mermaid', description: 'Output format' }],
  examples: ['psr graph examples/hello/workflow.yml', 'psr graph wf.yml --format dot | dot -Tsvg > wf.svg'],
  async run(args, io) {
    const [{ workflow }, { renderGraph }] = await Promise.all([loadWorkflowFile(args.positionals[0]!, io), import('../graph/render-graph.js')]);
    io.stdout.write(renderGraph(workflow, args.options['format'] === 'dot' ? 'dot' : 'mermaid'));
    return ExitCode.SUCCESS;
  },
};

export default graph;
