/**
 * Running one command line against a table of commands: version and help requests, unknown
 * commands (with a suggestion), option parsing, the command itself, and any error it throws
 * turned into a message and an exit code. `main` runs it with every command; the CommonJS bin
 * runs `psr scan` with a table of that one command (see bin.ts).
 */
import { parseCommandArgs } from './args.js';
import type { CommandEntry } from './command.js';
import { ExitCode } from './exit-codes.js';
import { formatCommandHelp, formatMainHelp } from './help.js';
import type { CliIO } from './io.js';
import { formatDiagnostics, reportError } from './render-error.js';
import { suggest } from './suggest.js';
import { isVersionRequest, PSR_VERSION } from './version.js';

/**
 * Run `psr <argv>` with the commands of `table`; returns the exit code (errors included).
 *
 * @example
 * ```ts
 * process.exitCode = await runCommandLine(process.argv.slice(2), processIO(), commands);
 * ```
 */
export async function runCommandLine(argv: string[], io: CliIO, table: readonly CommandEntry[]): Promise<number> {
  try {
    return await dispatch(argv, io, table);
  } catch (error) {
    return reportError(error, io);
  }
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
