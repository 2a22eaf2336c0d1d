/**
 * The psr command line. `main` runs a command against the real process and returns the
 * exit code; `runCommand` does the same with captured output, for tests and embedding.
 * Nothing heavy is imported here: commands are loaded from the table on demand.
 */
import { commands } from './commands.js';
import { runCommandLine } from './dispatch.js';
import { processIO, type CliIO, type OutputStream, type SignalSource } from './io.js';

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
  return runCommandLine(argv, io, commands);
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
