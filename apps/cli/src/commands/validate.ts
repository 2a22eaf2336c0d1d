import type { Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { diagnosticsOf, formatDiagnostics, reportError } from '../render-error.js';
import { loadWorkflowFile } from '../workflow-file.js';

const validate: Command = {
  name: 'validate',
  summary: 'Check workflows without running them',
  usage: 'psr validate <workflow...>',
  description:
    'Loads each workflow (YAML, schema, plugins, task inputs, needs, cycles, expressions, durations, matrices) ' +
    'and reports every problem as `file:line:col: message [CODE]` with a hint. Nothing is run.',
  positionals: [{ name: 'workflow', description: 'Workflow files to check', variadic: true }],
  options: [{ name: 'quiet', short: 'q', type: 'boolean', description: 'Print only problems, not the ✓ lines' }],
  examples: ['psr validate examples/hello/workflow.yml', 'psr validate .psr/*.yml'],
  async run(args, io) {
    let exitCode: number = ExitCode.SUCCESS;
    for (const file of args.positionals) {
      try {
        const { workflow } = await loadWorkflowFile(file, io);
        if (args.options['quiet'] !== true) io.stdout.write(`✓ ${file} (${workflow.tasks.length} task${workflow.tasks.length === 1 ? '' : 's'})\n`);
      } catch (error) {
        const diagnostics = diagnosticsOf(error);
        if (!diagnostics) return reportError(error, io);
        io.stderr.write(`✗ ${file}: ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}\n`);
        io.stderr.write(`${await formatDiagnostics(diagnostics, io.cwd)}\n\n`);
        exitCode = ExitCode.INVALID;
      }
    }
    return exitCode;
  },
};

export default validate;
