import type { Command } from '../command.js';
import { stateDirOption } from '../history/state-dir.js';
import { tracingOptions } from '../run/telemetry.js';

const schedule: Command = {
  name: 'schedule',
  summary: 'Run workflows on their on.schedule cron entries (foreground daemon)',
  usage: 'psr schedule <workflow...> [--list] [--grace 30s] [--secrets-file file] [--state-dir dir]',
  description:
    'Fires a traced, recorded run for every `on.schedule` entry of the given workflows (cron with optional seconds, IANA timezone). ' +
    'Overlap policy per entry: `skip` (default), `queue` (at most one pending) or `allow`; `catch-up: last` runs once on start ' +
    'for fires missed while the daemon was down (judged from run history). SIGTERM or Ctrl-C stops firing, lets running runs ' +
    'finish within the grace period, then cancels them, and exits 0. `--list` prints the next 5 fire times of each entry and exits.',
  positionals: [{ name: 'workflow', description: 'Workflow files with on.schedule', variadic: true }],
  options: [
    { name: 'list', type: 'boolean', description: 'Print the next 5 fire times of each schedule and exit' },
    { name: 'grace', type: 'string', valueName: 'duration', description: 'How long running runs may take to finish on shutdown', default: '30s' },
    { name: 'secrets-file', type: 'string', valueName: 'file', description: 'Read secrets from a .env-style file (NAME=value lines)' },
    stateDirOption,
    ...tracingOptions,
  ],
  examples: ['psr schedule ci/nightly.yml', 'psr schedule --list ci/*.yml', 'psr schedule nightly.yml --grace 2m --otlp-endpoint http://127.0.0.1:4318'],
  async run(args, io) {
    const { scheduleCommand } = await import('../schedule/schedule-command.js');
    return scheduleCommand(args, io);
  },
};

export default schedule;
