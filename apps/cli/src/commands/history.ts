import type { Command } from '../command.js';
import { stateDirOption } from '../history/state-dir.js';

const history: Command = {
  name: 'history',
  summary: 'List recorded runs, or prune old ones',
  usage: 'psr history [workflow] [--json] [--limit N] [--state-dir dir]  |  psr history prune [workflow] --keep N',
  description:
    'Lists runs recorded in the history database (newest first): id, workflow, status, trigger, start, duration and task counts. ' +
    'With a workflow file, only its runs (and its .psr/ folder). `psr history prune --keep N` deletes all but the newest N finished runs.',
  positionals: [
    { name: 'workflow', description: 'Workflow file whose runs to list, or `prune`', required: false },
    { name: 'prune-workflow', description: 'With prune: only prune runs of this workflow', required: false },
  ],
  options: [
    { name: 'json', type: 'boolean', description: 'Print the runs as JSON' },
    { name: 'limit', short: 'n', type: 'string', valueName: 'n', description: 'Show at most n runs', default: '20' },
    { name: 'keep', type: 'string', valueName: 'n', description: 'With prune: how many newest runs to keep' },
    stateDirOption,
  ],
  examples: ['psr history', 'psr history ci/nightly.yml --json', 'psr history prune --keep 50'],
  async run(args, io) {
    const { historyCommand } = await import('../history/history-command.js');
    return historyCommand(args, io);
  },
};

export default history;
