/**
 * The psr command line. `main` runs a command against the real process and returns the
 * exit code; `runCommand` does the same with captured output, for tests and embedding.
 * Nothing heavy is imported here: commands are loaded from the table on demand.
 */
import { parseCommandArgs } from './args.js';
import type { CommandEntry } from './command.js';
import { commands } from './commands.js';
import { ExitCode } from './exit-codes.js';
import { formatCommandHelp, formatMainHelp } from './help.js';
import { processIO, type CliIO, type OutputStream, type SignalSource } from './io.js';
import { formatDiagnostics, reportError } from './render-error.js';
import { suggest } from './suggest.js';
import { isVersionRequest, PSR_VERSION } from './version.js';

export { ExitCode } from './exit-codes.js';
export type { Command, CommandEntry, OptionSpec, PositionalSpec, ParsedArgs } from './command.js';
export type { CliIO, OutputStream, SignalSource } from './io.js';
export { commands } from './commands.js';
export { PSR_VERSION } from './version.js';
export { renderCliDocs } from './cli-docs.js';

/**
 * Run `psr <argv>` against the real process; returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    return await dispatch(argv, io, commands);
  } catch (error) {
    return reportError(error, io);
  }
}

/** What {@link runCommand} returns. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `psr <argv>` in-process with captured output (not a TTY).
 *
 * @example
 * ```ts
 * const { exitCode, stderr } = await runCommand(['validate', 'broken.yml']);
 * // exitCode === 2, stderr holds `broken.yml:3:5: ... [PSR_SCHEMA]`
 * ```
 */
export async function runCommand(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; signals?: SignalSource } = {},
): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const out: OutputStream = { write: (s: string) => (stdout += s), isTTY: false };
  const err: OutputStream = { write: (s: string) => (stderr += s), isTTY: false };
  const io: CliIO = {
    stdout: out,
    stderr: err,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    signals: options.signals ?? { on: () => undefined, off: () => undefined },
  };
  const exitCode = await main(argv, io);
  return { exitCode, stdout, stderr };
}

async function dispatch(argv: string[], io: CliIO, table: readonly CommandEntry[]): Promise<number> {
  const [first, ...rest] = argv;
  if (isVersionRequest(first)) {
    io.stdout.write(`${PSR_VERSION}\n`);
    return ExitCode.SUCCESS;
  }
  if (first === undefined || first === '--help' || first === '-h') {
    io.stdout.write(formatMainHelp(table, PSR_VERSION));
    return ExitCode.SUCCESS;
  }
  if (first === 'help') {
    if (rest[0] === undefined) {
      io.stdout.write(formatMainHelp(table, PSR_VERSION));
      return ExitCode.SUCCESS;
    }
    return dispatch([rest[0], '--help'], io, table);
  }
  const entry = table.find((c) => c.name === first);
  if (!entry) {
    const isOption = first.startsWith('-');
    const guess = suggest(first, isOption ? ['--help', '--version'] : table.map((c) => c.name));
    const message = isOption ? `unknown option ${first}` : `unknown command "${first}"`;
    const hint = guess ? `did you mean ${isOption ? guess : `psr ${guess}`}?` : `commands: ${table.map((c) => c.name).join(', ')} (see psr --help)`;
    io.stderr.write(`${await formatDiagnostics([{ code: 'PSR_USAGE', message, hint }], io.cwd)}\n`);
    return ExitCode.INVALID;
  }
  const command = (await entry.load()).default;
  const parsed = parseCommandArgs(command, rest);
  if (!parsed.ok) {
    io.stderr.write(`${await formatDiagnostics(parsed.problems, io.cwd)}\n`);
    return ExitCode.INVALID;
  }
  if (parsed.args.options['help'] === true) {
    io.stdout.write(formatCommandHelp(command));
    return ExitCode.SUCCESS;
  }
  return command.run(parsed.args, io);
}
