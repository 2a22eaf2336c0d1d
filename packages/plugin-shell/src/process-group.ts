/**
 * Running one child in its own process group, so that a timeout, a cancel or the end of the
 * task reaches every process it started, background grandchildren included.
 *
 * - started in a new session (setsid: the child leads a new process group whose id is its pid),
 *   with the native `posix_spawn` addon where it is available, else `child_process.spawn`
 *   `detached` (see `native-spawn.ts`; `PSR_SHELL_SPAWN=node` forces the latter);
 * - `ctx.signal` aborts → SIGTERM to the whole group; `ctx.killSignal` aborts → SIGKILL to it;
 * - when the main child exits, whatever is left in its group is SIGKILLed, so no orphan survives;
 * - stdout/stderr chunks go to `ctx.log.stdout` / `ctx.log.stderr` as they arrive.
 *
 * A process that leaves the group on purpose (`setsid`, a daemonising double fork with a new
 * session) is beyond reach of group signals; if it keeps the output pipes open, the task stops
 * waiting for them {@link PIPE_DRAIN_MS} after the main child exited.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { TaskContext } from '@psr/core';
import { trackGroup, untrackGroup } from './group-usage-sampler.js';
import { nativeSpawner } from './native-spawn.js';
import { ShellErrorCodes, shellProblem } from './shell-errors.js';

/**
 * How long to wait for stdout/stderr to close after the main child exited.
 *
 * @example
 * ```ts
 * console.log(`output held open by an escaped process is dropped after ${PIPE_DRAIN_MS} ms`);
 * ```
 */
export const PIPE_DRAIN_MS = 2000;

/**
 * Groups whose leader has not exited yet. Task groups are detached from psr's own group (a
 * terminal's Ctrl-C reaches psr, which then stops tasks gracefully), so if psr exits without
 * stopping them (an uncaught error, `process.exit`), they would outlive it: kill them on exit.
 */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function killLiveGroupsOnExit(): void {
  for (const pgid of liveGroups) signalProcessGroup(pgid, 'SIGKILL');
}

/**
 * Send `signal` to every process of group `pgid`; an empty group (ESRCH) is fine. Every task
 * ends with a SIGKILL to its group and most groups are empty by then, so the thrown ESRCH is
 * the common case: building it without a stack trace makes it several times cheaper.
 */
function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty.
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * What to run.
 *
 * @example
 * ```ts
 * const command: GroupCommand = { program: 'make', args: ['build'], cwd: '/repo', env: { PATH: '/usr/bin' } };
 * ```
 */
export interface GroupCommand {
  program: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * How the main child ended, plus resource usage of its group: the larger of what `/proc`
 * sampling saw and, on the native path, the exact `wait4` figures of the main child (which
 * include every descendant it waited for).
 *
 * @example
 * ```ts
 * const exit: GroupExit = { exitCode: 0, signal: null, cpuMs: 120, peakRssBytes: 8_388_608 };
 * ```
 */
export interface GroupExit {
  /** Exit code, or `null` when a signal killed it. */
  exitCode: number | null;
  /** The signal that killed it, or `null`. */
  signal: NodeJS.Signals | null;
  cpuMs?: number;
  peakRssBytes?: number;
}

/**
 * Spawn `command` in a new process group wired to `ctx` (see the module comment) and resolve
 * once the child and its output streams are gone. Rejects only when the process cannot start
 * (a `TaskFailure` with code `PSR_SHELL_NOT_INSTALLED` or `PSR_SHELL_SPAWN`).
 *
 * @example
 * ```ts
 * const exit = await runInProcessGroup({ program: 'sh', args: ['-c', 'echo hi'], cwd: ctx.workdir, env: { ...ctx.env } }, ctx);
 * if (exit.exitCode !== 0) throw new TaskFailure(`exited with code ${exit.exitCode}`, { kind: 'exit', exitCode: exit.exitCode ?? undefined });
 * ```
 */
export function runInProcessGroup(command: GroupCommand, ctx: TaskContext): Promise<GroupExit> {
  return new Promise<GroupExit>((resolve, reject) => {
    // The exit is always reported from a later event-loop turn, after the wiring below.
    const started = startChild(command, (childExit) => onChildExit(childExit), ctx, reject);
    if (started === undefined) return;
    const { pid, stdout, stderr } = started;

    const usage = trackGroup(pid);
    liveGroups.add(pid);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', killLiveGroupsOnExit);
    }
    const signalGroup = (signal: NodeJS.Signals): void => signalProcessGroup(pid, signal);
    const onAbort = (): void => signalGroup('SIGTERM');
    const onKill = (): void => signalGroup('SIGKILL');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    ctx.killSignal.addEventListener('abort', onKill, { once: true });
    if (ctx.killSignal.aborted) onKill();
    else if (ctx.signal.aborted) onAbort();

    let exit: ChildExit | undefined;
    let openStreams = 2;
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (!exit || openStreams > 0) return;
      if (drainTimer) clearTimeout(drainTimer);
      resolve({
        exitCode: exit.exitCode,
        signal: exit.signal,
        cpuMs: largest(exit.cpuMs, usage.cpuMs),
        peakRssBytes: largest(exit.peakRssBytes, usage.peakRssBytes),
      });
    };
    for (const [stream, write] of [
      [stdout, (chunk: string) => ctx.log.stdout(chunk)],
      [stderr, (chunk: string) => ctx.log.stderr(chunk)],
    ] as const) {
      stream.setEncoding('utf8');
      stream.on('data', write);
      stream.on('error', (error: Error) => ctx.log.warn(`output of process ${pid}: ${error.message}`));
      stream.once('close', () => {
        openStreams--;
        finish();
      });
    }

    const onChildExit = (childExit: ChildExit): void => {
      ctx.signal.removeEventListener('abort', onAbort);
      ctx.killSignal.removeEventListener('abort', onKill);
      // Leftovers (background jobs, daemons that stayed in the group) die with the task.
      signalGroup('SIGKILL');
      liveGroups.delete(pid);
      untrackGroup(pid);
      exit = childExit;
      if (openStreams > 0) {
        drainTimer = setTimeout(() => {
          ctx.log.warn(
            `a process that left the task's process group still holds its output open; output after this point is dropped`,
          );
          stdout.destroy();
          stderr.destroy();
        }, PIPE_DRAIN_MS);
        drainTimer.unref();
      }
      finish();
    };
  });
}

/** How the main child ended; usage figures only where they are exact (the native path). */
interface ChildExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cpuMs?: number;
  peakRssBytes?: number;
}

/** A started child: its pid (= process group id) and output streams. */
interface StartedChild {
  pid: number;
  stdout: Readable;
  stderr: Readable;
}

/**
 * Start `command` detached (new session and process group), stdin ignored, stdout/stderr piped;
 * `onExit` is called once when it has exited. With the native addon ({@link nativeSpawner}) when
 * it is available and `PSR_SHELL_SPAWN` is not `node`, else with `child_process.spawn`. When
 * the process cannot start, `reject` gets the explained `TaskFailure` and the result is `undefined`.
 */
function startChild(
  command: GroupCommand,
  onExit: (exit: ChildExit) => void,
  ctx: TaskContext,
  reject: (failure: Error) => void,
): StartedChild | undefined {
  const spawnNatively = nativeSpawner();
  if (spawnNatively) {
    try {
      return spawnNatively(command, onExit);
    } catch (error) {
      if (error instanceof TypeError) reject(invalidArgument(command, error));
      else explainSpawnError(error as NodeJS.ErrnoException, command).then(reject, reject);
      return undefined;
    }
  }
  let child: ChildProcessByStdio<null, Readable, Readable>;
  try {
    child = spawn(command.program, command.args, {
      cwd: command.cwd,
      env: command.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Thrown synchronously for invalid arguments, e.g. a NUL byte in an argument or env value.
    reject(invalidArgument(command, error as Error));
    return undefined;
  }
  const pid = child.pid;
  if (pid === undefined) {
    // Spawning failed; the 'error' event explains why.
    child.once('error', (error: NodeJS.ErrnoException) => {
      explainSpawnError(error, command).then(reject, reject);
    });
    return undefined;
  }
  // After a successful spawn 'error' only reports failed signalling through the child object,
  // which this module never does; an unhandled 'error' would still crash psr, so log it.
  child.on('error', (error) => ctx.log.warn(`process ${pid}: ${error.message}`));
  child.once('exit', (exitCode, signal) => onExit({ exitCode, signal }));
  return { pid, stdout: child.stdout, stderr: child.stderr };
}

/**
 * The larger of two usage figures: `wait4`'s exact one covers the main process and what it
 * waited for; the sampler also saw background processes that were never waited for.
 */
function largest(exact: number | undefined, sampled: number | undefined): number | undefined {
  if (exact === undefined) return sampled;
  return sampled === undefined ? exact : Math.max(exact, sampled);
}

function invalidArgument(command: GroupCommand, error: Error): Error {
  return shellProblem(
    ShellErrorCodes.SPAWN,
    `cannot start "${command.program}": ${error.message}`,
    'arguments and environment values cannot contain NUL bytes; check args: and env:',
  );
}

async function explainSpawnError(error: NodeJS.ErrnoException, command: GroupCommand): Promise<Error> {
  if (error.code === 'ENOENT') {
    const cwdExists = await stat(command.cwd).then((s) => s.isDirectory(), () => false);
    if (!cwdExists) {
      return shellProblem(
        ShellErrorCodes.SPAWN,
        `working directory ${command.cwd} does not exist`,
        'create it in an earlier task, or fix working-directory:',
      );
    }
    return shellProblem(
      ShellErrorCodes.NOT_INSTALLED,
      `cannot start "${command.program}": not found on PATH`,
      'install it, or choose another shell/interpreter with shell:',
    );
  }
  return shellProblem(
    ShellErrorCodes.SPAWN,
    `cannot start "${command.program}": ${error.message}`,
    error.code === 'EACCES' ? 'check that the program is executable (chmod +x)' : 'check the program and the working directory',
  );
}
