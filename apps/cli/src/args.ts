/**
 * Command-line parsing on Node's `util.parseArgs`, driven by a command's declared options.
 * Parsing is lenient (so that every unknown option can be reported with a "did you mean")
 * and then checked against the declaration here.
 */
import { parseArgs } from 'node:util';
import type { Diagnostic } from '@psr/core';
import type { Command, OptionSpec, ParsedArgs } from './command.js';
import { suggest } from './suggest.js';

/** Every command understands `--help`. */
export const helpOption: OptionSpec = { name: 'help', short: 'h', type: 'boolean', description: 'Show help for this command' };

/** Result of {@link parseCommandArgs}: values, or the usage problems found. */
export type ParseOutcome = { ok: true; args: ParsedArgs } | { ok: false; problems: Diagnostic[] };

const usage = (message: string, hint: string): Diagnostic => ({ code: 'PSR_USAGE', message, hint });

/**
 * Parse `argv` (after the command name) against `command`'s options and positionals.
 *
 * @example
 * ```ts
 * const parsed = parseCommandArgs(runCommand, ['wf.yml', '-j', '4']);
 * if (parsed.ok) parsed.args.options.concurrency; // '4'
 * ```
 */
export function parseCommandArgs(command: Pick<Command, 'name' | 'options' | 'positionals'>, argv: string[]): ParseOutcome {
  const declared = [...command.options, helpOption];
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of declared) {
    config[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  const problems: Diagnostic[] = [];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  } catch (err) {
    return { ok: false, problems: [usage((err as Error).message, `see psr ${command.name} --help`)] };
  }
  const byName = new Map(declared.map((o) => [o.name, o]));
  const names = declared.flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]);
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const spec = byName.get(token.name);
    if (!spec) {
      const guess = suggest(token.rawName, names);
      problems.push(
        usage(`unknown option ${token.rawName} for psr ${command.name}`, guess ? `did you mean ${guess}?` : `see psr ${command.name} --help`),
      );
      continue;
    }
    if (spec.type === 'string' && token.value === undefined) {
      problems.push(usage(`option ${token.rawName} needs a value`, `write ${token.rawName} <${spec.valueName ?? 'value'}>`));
    } else if (spec.type === 'boolean' && token.value !== undefined) {
      problems.push(usage(`option ${token.rawName} takes no value`, `write ${token.rawName} alone`));
    } else if (spec.choices && token.value !== undefined && !spec.choices.includes(token.value)) {
      const guess = suggest(token.value, spec.choices);
      problems.push(
        usage(
          `invalid value "${token.value}" for ${token.rawName}`,
          `use one of: ${spec.choices.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`,
        ),
      );
    }
  }
  const options: ParsedArgs['options'] = {};
  for (const o of declared) {
    const v = parsed.values[o.name];
    options[o.name] = (v === undefined ? o.default : v) as string | string[] | boolean | undefined;
  }
  if (options['help'] === true) return { ok: true, args: { options, positionals: parsed.positionals } };

  const positionals = parsed.positionals;
  const required = command.positionals.filter((p) => p.required !== false);
  const variadic = command.positionals.some((p) => p.variadic);
  if (positionals.length < required.length) {
    const missing = required[positionals.length]!;
    problems.push(usage(`missing argument <${missing.name}> for psr ${command.name}`, `see psr ${command.name} --help`));
  } else if (!variadic && positionals.length > command.positionals.length) {
    problems.push(
      usage(`unexpected argument "${positionals[command.positionals.length]}" for psr ${command.name}`, `see psr ${command.name} --help`),
    );
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, args: { options, positionals } };
}
