/**
 * The command table. Adding a command = one file under ./commands plus one entry here.
 * Modules are imported only when their command runs, so `psr --help` and `psr --version`
 * stay fast.
 */
import type { CommandEntry } from './command.js';

export const commands: readonly CommandEntry[] = [
  { name: 'run', summary: 'Run a workflow', load: () => import('./commands/run.js') },
  { name: 'validate', summary: 'Check workflows without running them', load: () => import('./commands/validate.js') },
  { name: 'graph', summary: 'Print the task graph of a workflow (Mermaid or Graphviz dot)', load: () => import('./commands/graph.js') },
  { name: 'scan', summary: 'Find known vulnerabilities in dependencies (the scan task as a command)', load: () => import('./commands/scan.js') },
  { name: 'secret-scan', summary: 'Find leaked credentials in files or git history (the secret-scan task as a command)', load: () => import('./commands/secret-scan.js') },
  { name: 'schedule', summary: 'Run workflows on their on.schedule cron entries (foreground daemon)', load: () => import('./commands/schedule.js') },
  { name: 'history', summary: 'List recorded runs, or prune old ones', load: () => import('./commands/history.js') },
  { name: 'show', summary: 'Show one recorded run: tasks, attempts, outputs, log tails, trace id', load: () => import('./commands/show.js') },
  { name: 'db', summary: 'Manage the local advisory database (sync, import, status)', load: () => import('./commands/db.js') },
];
