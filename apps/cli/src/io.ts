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
 * The real process as a {@link CliIO}.
 *
 * @example
 * ```ts
 * const code = await main(['validate', 'wf.yml'], processIO());
 * ```
 */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signals: process };
}
