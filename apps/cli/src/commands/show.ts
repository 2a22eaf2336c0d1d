import type { Command } from '../command.js';
import { stateDirOption } from '../history/state-dir.js';

const show: Command = {
  name: 'show',
  summary: 'Show one recorded run: tasks, attempts, outputs, log tails, trace id',
  usage: 'psr show <run-id> [--json] [--state-dir dir]',
  description: 'Reads one run from the history database. A unique prefix of the run id is enough.',
  positionals: [{ name: 'run-id', description: 'Run id (or a unique prefix) as printed by psr run / psr history' }],
  options: [{ name: 'json', type: 'boolean', description: 'Print the run as JSON' }, stateDirOption],
  examples: ['psr show 01JD3K', 'psr show 01JD3K --json | jq .tasks'],
  async run(args, io) {
    const { showCommand } = await import('../history/history-command.js');
    return showCommand(args, io);
  },
};

export default show;
