import type { Command } from '../command.js';
import { diagnosticsOf } from '../render-error.js';
import { historyOptions } from '../run/history.js';
import { tracingOptions } from '../run/telemetry.js';

const run: Command = {
  name: 'run',
  summary: 'Run a workflow',
  usage: 'psr run <workflow> [--input key=value]... [-j N] [--fail-fast] [--json] [--secrets-file file]',
  description:
    'Validates the workflow, then runs its tasks as a DAG. On a terminal a live view shows running tasks; ' +
    'in CI or a pipe every output line is prefixed with `[task]`; `--json` prints one event per line (NDJSON). ' +
    'Set `PSR_REPORTER=plain` or `PSR_REPORTER=live` to choose the view yourself; task lines logged at debug level show with `PSR_DEBUG=1`. ' +
    'A summary table ends the run. Ctrl-C once cancels gracefully (running tasks get SIGTERM and end `cancelled`); ' +
    'twice kills them. Secrets come from `PSR_SECRET_<NAME>` environment variables and `--secrets-file`, ' +
    'and are masked as `***` in all output.',
  positionals: [{ name: 'workflow', description: 'Workflow file (YAML)' }],
  options: [
    { name: 'input', short: 'i', type: 'string', multiple: true, valueName: 'key=value', description: 'Set a workflow input' },
    { name: 'concurrency', short: 'j', type: 'string', valueName: 'n', description: "Run at most n tasks at once (overrides the workflow's concurrency)" },
    { name: 'fail-fast', type: 'boolean', description: 'Cancel everything still running at the first failure' },
    { name: 'json', type: 'boolean', description: 'Print run events as NDJSON on stdout' },
    { name: 'secrets-file', type: 'string', valueName: 'file', description: 'Read secrets from a .env-style file (NAME=value lines)' },
    ...tracingOptions,
    ...historyOptions,
  ],
  examples: [
    'psr run examples/hello/workflow.yml',
    'psr run deploy.yml --input target=prod -j 4 --fail-fast',
    'psr run wf.yml --json | jq -c "select(.type == \\"task-end\\")"',
    'psr run wf.yml --trace-file trace.jsonl',
    'psr run wf.yml --resume last',
  ],
  async run(args, io) {
    const { runWorkflow } = await import('../run/run-workflow.js');
    try {
      return await runWorkflow(args, io);
    } catch (error) {
      // With --json, machines reading stdout also get the problems (one `error` line) before
      // the usual human-readable diagnostics on stderr.
      const diagnostics = args.options['json'] === true ? diagnosticsOf(error) : undefined;
      if (diagnostics) io.stdout.write(`${JSON.stringify({ type: 'error', diagnostics })}\n`);
      throw error;
    }
  },
};

export default run;
