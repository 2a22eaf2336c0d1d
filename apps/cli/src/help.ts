/**
 * Help text, built from the command table and the commands' declared options.
 * The top-level help uses only the table, so it imports no command module.
 */
import { helpOption } from './args.js';
import type { Command, CommandEntry, OptionSpec } from './command.js';

/** Text of `psr --help`. */
export function formatMainHelp(entries: readonly CommandEntry[], version: string): string {
  const width = Math.max(...entries.map((e) => e.name.length));
  const lines = [
    `psr ${version} — run YAML workflows of tasks as a DAG`,
    '',
    'Usage: psr <command> [options]',
    '',
    'Commands:',
    ...entries.map((e) => `  ${e.name.padEnd(width)}  ${e.summary}`),
    '',
    'Options:',
    '  -h, --help     Show help (psr <command> --help for a command)',
    '  -v, --version  Print the version',
    '',
    'Exit codes: 0 success, 1 a task failed, 2 invalid workflow or usage, 130 interrupted.',
    '',
  ];
  return lines.join('\n');
}

/** `--input <key=value>` / `-j, --concurrency <n>`. */
export function optionLabel(o: OptionSpec): string {
  const long = `--${o.name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
  return o.short ? `-${o.short}, ${long}` : `    ${long}`;
}

/** Description plus choices/default/repeatable notes. */
export function optionDescription(o: OptionSpec): string {
  const notes: string[] = [];
  if (o.choices) notes.push(`one of: ${o.choices.join(', ')}`);
  if (o.default !== undefined && o.default !== false) notes.push(`default: ${String(o.default)}`);
  if (o.multiple) notes.push('repeatable');
  return notes.length ? `${o.description} (${notes.join('; ')})` : o.description;
}

/** Text of `psr <command> --help`. */
export function formatCommandHelp(command: Command): string {
  const options = [...command.options, helpOption];
  const labels = options.map(optionLabel);
  const width = Math.max(...labels.map((l) => l.length), ...command.positionals.map((p) => p.name.length + 2));
  const lines = [`Usage: ${command.usage}`, '', command.summary];
  if (command.description) lines.push('', command.description);
  if (command.positionals.length) {
    lines.push('', 'Arguments:');
    for (const p of command.positionals) lines.push(`  ${`<${p.name}>`.padEnd(width)}  ${p.description}`);
  }
  lines.push('', 'Options:');
  options.forEach((o, i) => lines.push(`  ${labels[i]!.padEnd(width)}  ${optionDescription(o)}`));
  if (command.examples?.length) {
    lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  }
  lines.push('');
  return lines.join('\n');
}
