/**
 * docs/cli.md, generated from the command table so it cannot drift
 * (`pnpm --filter @psr/cli docs` rewrites it; a test checks it is current).
 */
import { helpOption } from './args.js';
import type { CommandEntry } from './command.js';
import { commands } from './commands.js';
import { optionDescription, optionLabel } from './help.js';

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * The Markdown text of docs/cli.md.
 *
 * @example
 * ```ts
 * writeFileSync('docs/cli.md', await renderCliDocs());
 * ```
 */
export async function renderCliDocs(table: readonly CommandEntry[] = commands): Promise<string> {
  const out: string[] = [
    '# psr command line',
    '',
    '<!-- Generated from apps/cli/src/commands.ts by `node apps/cli/scripts/cli-docs.mjs`; do not edit by hand. -->',
    '',
    '```',
    'psr <command> [options]',
    'psr --version',
    'psr --help',
    '```',
    '',
    '| command | what it does |',
    '| --- | --- |',
    ...table.map((e) => `| [\`${e.name}\`](#psr-${e.name}) | ${escapeCell(e.summary)} |`),
    '',
    '## Exit codes',
    '',
    '| code | meaning |',
    '| --- | --- |',
    '| 0 | success (tasks with `continue-on-error` may have failed) |',
    '| 1 | a task failed (or psr hit an internal error: "this is a bug in psr") |',
    '| 2 | the workflow or the command line is invalid |',
    '| 130 | interrupted (Ctrl-C, SIGINT, SIGTERM) |',
    '',
    'Errors print as `file:line:col: message [CODE]` with a hint and the offending line; see',
    '[errors.md](errors.md) for the codes. Set `PSR_DEBUG=1` to see stack traces of internal errors.',
    '',
  ];
  for (const entry of table) {
    const command = (await entry.load()).default;
    out.push(`## psr ${command.name}`, '', command.summary, '', '```', command.usage, '```', '');
    if (command.description) out.push(command.description, '');
    if (command.positionals.length) {
      out.push('| argument | |', '| --- | --- |');
      for (const p of command.positionals) {
        out.push(`| \`<${p.name}>\`${p.variadic ? '…' : ''} | ${escapeCell(p.description)}${p.required === false ? ' (optional)' : ''} |`);
      }
      out.push('');
    }
    out.push('| option | |', '| --- | --- |');
    for (const o of [...command.options, helpOption]) {
      out.push(`| \`${optionLabel(o).trim()}\` | ${escapeCell(optionDescription(o))} |`);
    }
    out.push('');
    if (command.examples?.length) out.push('Examples:', '', '```sh', ...command.examples, '```', '');
  }
  out.push(
    '## `psr run --json` events',
    '',
    'One JSON object per line on stdout (nothing else is printed there; diagnostics go to stderr).',
    'Every event has `type` and `run` (`id`, `trigger`, `inputs`, `startedAt`, and `workflow` reduced to',
    '`name`, `file`, `hash`); every string is secret-masked.',
    '',
    '| `type` | extra fields |',
    '| --- | --- |',
    '| `run-start` | |',
    '| `task-start` | `task` (`id`, `taskId`, `name`, `uses`, `matrix`) |',
    '| `attempt-start` | `task`, `attempt` (1-based) |',
    '| `output` | `task`, `attempt`, `stream` (`stdout`, `stderr`, `log`), `text`, `level` |',
    '| `attempt-end` | `task`, `result` (`attempt`, `status`, `durationMs`, `exitCode`, `failure`, `cpuMs`, `peakRssBytes`) |',
    '| `retry-wait` | `task`, `attempt` (the attempt about to start), `delayMs` |',
    '| `task-end` | `task`, `result` (`status`, `attempts`, `outputs`, `reason`, `durationMs`) |',
    '| `run-end` | `result` (`status`, `durationMs`, `tasks`: every task result) |',
    '| `notice` | `message` (from psr itself, e.g. the Ctrl-C notice; has no `run`) |',
    '| `error` | `diagnostics` (`code`, `message`, `hint`, `location`): the workflow, inputs or command line are invalid, nothing ran (exit 2); has no `run` |',
    '',
    '## Adding a command (for psr developers)',
    '',
    '1. Write `apps/cli/src/commands/<name>.ts` default-exporting a `Command`: `name`, `summary`, `usage`,',
    '   `positionals` and `options` declared as data (they drive parsing, `--help` and this page), and',
    '   `run(args, io)` returning an exit code from `src/exit-codes.ts`. Import heavy modules (`@psr/core`,',
    '   plugins, SQLite) inside `run` with `await import(...)` so `psr --help` stays fast.',
    '2. Add `{ name, summary, load: () => import(\'./commands/<name>.js\') }` to `apps/cli/src/commands.ts`.',
    '3. Built-in plugins go in `apps/cli/src/builtins.ts` (registered lazily).',
    '4. Rebuild and run `node apps/cli/scripts/cli-docs.mjs` to regenerate this page (a test checks it).',
    '',
    'Throw `PsrError`s for user mistakes (they print as diagnostics and exit 2); anything else is',
    'reported as a bug in psr.',
    '',
  );
  return out.join('\n');
}
