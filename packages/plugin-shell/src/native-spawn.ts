/**
 * The native way to start a task's process: `posix-spawn.node` (built from
 * `native/posix-spawn.c` by `scripts/build-native.mjs`), glibc `posix_spawn` plus a pidfd watched
 * on Node's event loop.
 *
 * Node's `child_process.spawn` forks the whole psr process and blocks the event loop until the
 * child's `execve` has dropped the copied address space again, 6–10 ms per task on a small VM;
 * `posix_spawn` shares the address space with the child until it execs (vfork), so starting a
 * `true` costs less than `xargs` does. Reaping with `wait4` also gives the exact CPU time of the
 * child and of every descendant it waited for, and their peak RSS when it exceeds psr's own.
 *
 * The addon exists only where it was built (Linux with a C compiler and Node's headers at build
 * time) and loads only on Linux >= 5.3 (pidfd); everywhere else, or with `PSR_SHELL_SPAWN=node`,
 * {@link nativeSpawner} returns `undefined` and the caller uses `child_process`.
 */
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { Socket } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { execTarget } from './program-path.js';

/** The addon's API (see `native/posix-spawn.c`). */
interface PosixSpawnAddon {
  /** `[pid, stdoutFd, stderrFd]`, or the errno of a failed start. */
  spawn(
    file: string,
    argv: readonly string[],
    envp: readonly string[],
    cwd: string,
    /** `maxRssKb` is -1 when unknown (not above psr's own peak). */
    onExit: (exitCode: number | null, signal: number | null, cpuMicros: number, maxRssKb: number) => void,
  ): [number, number, number] | number;
}

/**
 * A process started natively: its pid (also its process group id) and its output streams.
 *
 * @example
 * ```ts
 * const child: NativeChild = nativeSpawner()!(command, (exit) => console.log(exit.exitCode));
 * child.stdout.on('data', (chunk) => process.stdout.write(chunk));
 * ```
 */
export interface NativeChild {
  pid: number;
  stdout: Socket;
  stderr: Socket;
}

/**
 * How a natively started process ended, with its exact resource usage from `wait4`.
 *
 * @example
 * ```ts
 * const exit: NativeExit = { exitCode: 0, signal: null, cpuMs: 12, peakRssBytes: 536_870_912 };
 * ```
 */
export interface NativeExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** User + system CPU of the process and the descendants it waited for, in ms. */
  cpuMs: number;
  /**
   * Largest resident set of the process or of one descendant it waited for, in bytes; known only
   * when larger than psr's own peak (until its `execve` the child shared psr's memory, which
   * Linux counts in its peak), else `undefined`.
   */
  peakRssBytes?: number;
}

/**
 * What to start: the program (a name looked up on `env.PATH`, or a path, relative to `cwd`
 * when it contains a `/`), its arguments, directory and complete environment.
 *
 * @example
 * ```ts
 * const command: NativeCommand = { program: 'make', args: ['build'], cwd: '/repo', env: { PATH: '/usr/bin' } };
 * ```
 */
export interface NativeCommand {
  program: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * Start `command` in a new session and process group, stdin `/dev/null`, stdout and stderr on
 * pipes; `onExit` is called once, after the process was reaped. Throws a `NodeJS.ErrnoException`
 * (`ENOENT`, `EACCES`, … as `child_process` would report) when it cannot start, and a
 * `TypeError` for an argument, environment value or directory containing a NUL byte.
 *
 * @example
 * ```ts
 * const spawner: NativeSpawner = nativeSpawner()!;
 * const child = spawner({ program: 'true', args: [], cwd: '.', env: { PATH: '/usr/bin' } }, (exit) => console.log(exit));
 * ```
 */
export type NativeSpawner = (command: NativeCommand, onExit: (exit: NativeExit) => void) => NativeChild;

const addon = loadAddon();
const spawnNatively: NativeSpawner | undefined = addon && ((command, onExit) => spawnWith(addon, command, onExit));

/**
 * The native starter, or `undefined` when the addon is not available (see the module comment)
 * or `PSR_SHELL_SPAWN=node` asks for `child_process` (read on every call, so that a test or a
 * benchmark can compare both in one process).
 *
 * @example
 * ```ts
 * const spawn = nativeSpawner();
 * if (spawn) spawn({ program: 'make', args: [], cwd: '/repo', env: { PATH: '/usr/bin' } }, (exit) => console.log(exit.cpuMs));
 * ```
 */
export function nativeSpawner(): NativeSpawner | undefined {
  return process.env.PSR_SHELL_SPAWN === 'node' ? undefined : spawnNatively;
}

function loadAddon(): PosixSpawnAddon | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    // The addon lives in dist/. This module runs from dist/ once built and from src/ in tests:
    // `../dist/` names the same directory from both.
    return createRequire(import.meta.url)('../dist/posix-spawn.node') as PosixSpawnAddon;
  } catch {
    // Not built (no compiler at build time, another OS) or no pidfd_open (Linux < 5.3).
    return undefined;
  }
}

const signalNames = new Map<number, NodeJS.Signals>(
  Object.entries(osConstants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

function spawnWith(addon: PosixSpawnAddon, command: NativeCommand, onExit: (exit: NativeExit) => void): NativeChild {
  const { program, args, cwd, env } = command;
  const envp: string[] = [];
  for (const name in env) envp.push(`${name}=${env[name]}`);
  refuseNulBytes(program, args, envp, cwd);
  const file = execTarget(program, env.PATH, cwd);
  if (file === undefined) throw spawnError(program, 2 /* ENOENT */);
  const started = addon.spawn(file, [program, ...args], envp, cwd, (exitCode, signal, cpuMicros, maxRssKb) =>
    onExit({
      exitCode,
      // Real-time signals have no name in os.constants: `SIG35` rather than a wrong name.
      signal: signal === null ? null : (signalNames.get(signal) ?? (`SIG${signal}` as NodeJS.Signals)),
      cpuMs: Math.round(cpuMicros / 1000),
      peakRssBytes: maxRssKb < 0 ? undefined : maxRssKb * 1024,
    }),
  );
  if (typeof started === 'number') throw spawnError(program, started);
  const [pid, stdoutFd, stderrFd] = started;
  return {
    pid,
    stdout: new Socket({ fd: stdoutFd, readable: true, writable: false }),
    stderr: new Socket({ fd: stderrFd, readable: true, writable: false }),
  };
}

/** The same error `child_process` reports when a start fails, e.g. `spawn make ENOENT`. */
function spawnError(program: string, errno: number): NodeJS.ErrnoException {
  const code = getSystemErrorName(-errno);
  return Object.assign(new Error(`spawn ${program} ${code}`), { code, errno: -errno, syscall: `spawn ${program}`, path: program });
}

/** C strings end at a NUL byte: refuse what would silently be cut short, as `child_process` does. */
function refuseNulBytes(program: string, args: readonly string[], envp: readonly string[], cwd: string): void {
  const where = program.includes('\0')
    ? 'the program'
    : cwd.includes('\0')
      ? 'the working directory'
      : args.some((a) => a.includes('\0'))
        ? 'an argument'
        : envp.some((e) => e.includes('\0'))
          ? 'an environment variable'
          : undefined;
  if (where !== undefined) throw new TypeError(`${where} contains a NUL byte`);
}
