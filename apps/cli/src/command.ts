/**
 * The shape of a psr command. Commands are declared as data (name, options, positionals)
 * so that help, argument parsing and docs/cli.md all come from one place.
 */
import type { CliIO } from './io.js';

/** One `--option` of a command. */
export interface OptionSpec {
  /** Long name, without the dashes. */
  name: string;
  /** One-letter alias, without the dash. */
  short?: string;
  type: 'string' | 'boolean';
  /** May be given several times (values collected in order). */
  multiple?: boolean;
  /** Placeholder shown in help (`--input <key=value>`). */
  valueName?: string;
  description: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  /** Default shown in help and applied when the option is absent. */
  default?: string | boolean;
}

/** One positional argument of a command. */
export interface PositionalSpec {
  name: string;
  description: string;
  /** Default true. */
  required?: boolean;
  /** Takes every remaining argument. */
  variadic?: boolean;
}

/** Parsed command-line values. */
export interface ParsedArgs {
  /** Option values by long name: string, string[] (multiple), boolean or undefined. */
  options: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

/**
 * A psr command: a module under src/commands default-exports one of these.
 *
 * @example
 * ```ts
 * const hello: Command = {
 *   name: 'hello', summary: 'Say hello', usage: 'psr hello [name]',
 *   positionals: [{ name: 'name', description: 'who to greet', required: false }],
 *   options: [],
 *   async run(args, io) { io.stdout.write(`hello ${args.positionals[0] ?? 'world'}\n`); return 0; },
 * };
 * ```
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer description shown in `psr <command> --help` and docs/cli.md. */
  description?: string;
  positionals: readonly PositionalSpec[];
  options: readonly OptionSpec[];
  examples?: readonly string[];
  /** Run the command; returns the exit code (see exit-codes.ts). Throw PsrErrors for user errors. */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** An entry of the command table: enough to list the command without importing it. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<{ default: Command }>;
}
