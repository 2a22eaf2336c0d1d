/**
 * Where a command reads its environment from and writes to. `main` uses the real process;
 * `runCommand` (tests) captures output in strings.
 */

/** A writable text stream (process.stdout or a capture). */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True for an interactive terminal (enables the live view and colours). */
  isTTY?: boolean;
  columns?: number;
}

/** A source of process signals (the real `process`, or an EventEmitter in tests). */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** The world a command runs in. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths on the command line are resolved against. */
  cwd: string;
  /** Ctrl-C and SIGTERM arrive here; default `process`. */
  signals: SignalSource;
}

/**
 * A process stream that survives its reader going away: after EPIPE (`psr run --json | head -1`)
 * further writes are dropped instead of crashing psr, and the run still finishes and records
 * its result. Other stream errors are left to surface. The stream is opened on first use:
 * `process.stderr` costs start-up time that a command writing nothing there need not pay.
 */
function pipeSafe(open: () => NodeJS.WriteStream): OutputStream {
  let stream: NodeJS.WriteStream | undefined;
  let closed = false;
  const get = (): NodeJS.WriteStream => {
    if (stream) return stream;
    stream = open();
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closed = true;
    });
    return stream;
  };
  return {
    write: (chunk: string) => (closed ? false : get().write(chunk)),
    get isTTY() {
      return get().isTTY === true;
    },
    get columns() {
      return get().columns;
    },
  };
}

/**
 * The real process as a {@link CliIO}.
 *
 * @example
 * ```ts
 * const code = await main(['validate', 'wf.yml'], processIO());
 * ```
 */
export function processIO(): CliIO {
  return {
    stdout: pipeSafe(() => process.stdout),
    stderr: pipeSafe(() => process.stderr),
    env: process.env,
    cwd: process.cwd(),
    signals: process,
  };
}
