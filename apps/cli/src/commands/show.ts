import type { Command } from '../command.js';
import { stateDirOption } from '../history/state-dir.js';

const show: Command = {
  name: 'show',
  summary: 'Show one recorded run: tasks, attempts, outputs, log tails, trace id',
  usage: 'psr show <run-id> [workflow] [--json] [--state-dir dir]',
  description:
    'Reads one run from the history database. A unique prefix of the run id is enough; `last` is the newest run (of the named workflow, when given). The history is looked up in ' +
    '--state-dir, else $PSR_STATE_DIR, else .psr/ beside the named workflow, else .psr/ in the current directory.',
  positionals: [
    { name: 'run-id', description: 'Run id (or a unique prefix) as printed by psr run / psr history, or `last`' },
    { name: 'workflow', description: 'Workflow file whose .psr/ history to read', required: false },
  ],
  options: [{ name: 'json', type: 'boolean', description: 'Print the run as JSON' }, stateDirOption],
  examples: ['psr show 20261122T044422083Z-4187d9', 'psr show 20261122T0444 ci/nightly.yml', 'psr show last --json | jq .tasks'],
  async run(args, io) {
    const { showCommand } = await import('../history/history-command.js');
    return showCommand(args, io);
  },
};

export default show;
