/**
 * One attempt of a `run:` or `script:` task, once the command line is known: run it in its own
 * process group with `$PSR_OUTPUT`, report metrics, parse the outputs, and turn the way it ended
 * into outputs or a `TaskFailure`.
 */
import { TaskFailure, type TaskContext } from '@psr/core';
import type { AttemptFiles } from './attempt-files.js';
import { MAX_OUTPUT_FILE_BYTES, OutputFileError, parseOutputFile } from './output-file.js';
import { runInProcessGroup } from './process-group.js';
import { ShellErrorCodes, shellProblem } from './shell-errors.js';

/** The command line of an attempt. */
export interface AttemptCommand {
  program: string;
  args: readonly string[];
  /** Variables set on top of `ctx.env` (before `PSR_OUTPUT`). */
  env?: Record<string, string>;
}

/**
 * Run `command` in `ctx.workdir` with exactly `ctx.env` plus `PSR_OUTPUT`, and resolve with the
 * outputs it wrote. Rejects with a `TaskFailure`: kind `exit` (non-zero exit code, outputs
 * still attached), `signal` (killed by a signal, including after a timeout or cancel), or
 * `error` (could not start; malformed output file). Always calls `ctx.setMetrics` once the
 * process started, and always removes the attempt's files.
 *
 * @example
 * ```ts
 * const files = await createAttemptFiles();
 * const outputs = await runShellAttempt(ctx, { program: 'python3', args: ['build.py'] }, files);
 * ```
 */
export async function runShellAttempt(ctx: TaskContext, command: AttemptCommand, files: AttemptFiles): Promise<Record<string, string>> {
  try {
    if (ctx.signal.aborted || ctx.killSignal.aborted) {
      throw new TaskFailure('stopped before the process started', { kind: 'cancelled', cause: ctx.signal.reason });
    }
    const exit = await runInProcessGroup(
      { program: command.program, args: command.args, cwd: ctx.workdir, env: { ...ctx.env, ...command.env, PSR_OUTPUT: files.outputPath } },
      ctx,
    );
    ctx.setMetrics({
      ...(exit.exitCode === null ? {} : { exitCode: exit.exitCode }),
      ...(exit.signal === null ? {} : { signal: exit.signal }),
      ...(exit.cpuMs === undefined ? {} : { cpuMs: exit.cpuMs }),
      ...(exit.peakRssBytes === undefined ? {} : { peakRssBytes: exit.peakRssBytes }),
    });

    const stopped = ctx.signal.aborted || ctx.killSignal.aborted;
    let outputs: Record<string, string> = {};
    let outputProblem: TaskFailure | undefined;
    try {
      outputs = await readOutputs(files);
    } catch (error) {
      if (!(error instanceof TaskFailure)) throw error;
      outputProblem = error;
    }

    if (exit.signal !== null) {
      const why = stopped ? ` after the task was stopped (${describeReason(ctx.signal.reason)})` : '';
      throw new TaskFailure(`killed by ${exit.signal}${why}`, { kind: 'signal', outputs, cause: stopped ? ctx.signal.reason : undefined });
    }
    if (exit.exitCode !== 0) {
      const code = exit.exitCode ?? -1;
      const why = stopped ? ` after the task was stopped (${describeReason(ctx.signal.reason)})` : '';
      throw new TaskFailure(`exited with code ${code}${why}`, { kind: 'exit', exitCode: code, outputs, cause: stopped ? ctx.signal.reason : undefined });
    }
    if (stopped) {
      // It exited 0 although it was asked to stop (e.g. a trap that exits 0): the attempt still
      // did not run to completion on its own terms, and the engine decides timeout vs cancel.
      throw new TaskFailure(`stopped (${describeReason(ctx.signal.reason)})`, { kind: 'cancelled', outputs, cause: ctx.signal.reason });
    }
    if (outputProblem) throw outputProblem;
    return outputs;
  } finally {
    // A clean-up problem must not hide how the task ended.
    await files.remove().catch((error: Error) => ctx.log.warn(`could not remove the attempt's temporary files: ${error.message}`));
  }
}

async function readOutputs(files: AttemptFiles): Promise<Record<string, string>> {
  const content = await files.readOutput(MAX_OUTPUT_FILE_BYTES);
  if (content.kind === 'absent') return {};
  if (content.kind === 'not-a-file') {
    throw shellProblem(
      ShellErrorCodes.OUTPUT_FILE,
      '$PSR_OUTPUT was replaced by something that is not a regular file (a directory, FIFO or device)',
      'append lines to the file: echo "name=value" >> "$PSR_OUTPUT"',
    );
  }
  if (content.kind === 'too-large') {
    throw shellProblem(
      ShellErrorCodes.OUTPUT_FILE,
      `$PSR_OUTPUT is ${content.bytes} bytes, more than the ${MAX_OUTPUT_FILE_BYTES} bytes allowed`,
      'write large data to a file and put its path in an output instead',
    );
  }
  try {
    return parseOutputFile(content.text);
  } catch (error) {
    if (!(error instanceof OutputFileError)) throw error;
    throw shellProblem(
      ShellErrorCodes.OUTPUT_FILE,
      `$PSR_OUTPUT ${error.message}`,
      'write one "name=value" per line, or name<<EOF, the lines of the value, then EOF alone on a line',
    );
  }
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  return 'aborted';
}
