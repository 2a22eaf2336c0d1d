/**
 * Where a command reads its environment from and writes to. `main` uses the real process;
 * `runCommand` (tests) captures output in strings.
 */
import { fstatSync, writeSync } from 'node:fs';

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

/** Node streams of the process opened through {@link processIO}: what may hold queued output. */
const openedStreams = new Set<NodeJS.WriteStream>();

/**
 * Opens a process stream on first use, so that a command writing nothing there does not pay
 * its start-up (`process.stderr` on a pipe builds a socket: `net`, a handle, ~3 ms). After
 * EPIPE (`psr run --json | head -1`) `onClosed` is called and further writes should be dropped
 * instead of crashing psr; other stream errors are left to surface.
 */
function lazyStream(open: () => NodeJS.WriteStream, onClosed: () => void): () => NodeJS.WriteStream {
  let stream: NodeJS.WriteStream | undefined;
  return () => {
    if (stream) return stream;
    stream = open();
    openedStreams.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      onClosed();
    });
    return stream;
  };
}

/**
 * A process stream that survives its reader going away: after EPIPE further writes are dropped,
 * and the run still finishes and records its result. The stream is opened on first use.
 */
function pipeSafe(open: () => NodeJS.WriteStream): OutputStream {
  let closed = false;
  const get = lazyStream(open, () => (closed = true));
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
 * Output written to file descriptor `fd` with synchronous `write` calls, without Node's stream,
 * whose start-up a command that writes a line or two there need not pay. When the descriptor is
 * non-blocking and full (EAGAIN: a terminal or pipe another process made non-blocking) the rest
 * goes through Node's stream (`open()`), which waits for the reader; after EPIPE output is
 * dropped, as {@link pipeSafe} does. `isTTY` and `columns` come from the stream, which is opened
 * to ask only when the descriptor is a character device: a pipe or a file is no terminal.
 */
export function directOutput(fd: number, open: () => NodeJS.WriteStream): OutputStream {
  let closed = false;
  let viaStream = false;
  const get = lazyStream(open, () => (closed = true));
  return {
    write: (chunk: string) => {
      if (closed) return false;
      if (viaStream) return get().write(chunk);
      const bytes = Buffer.from(chunk, 'utf8');
      let at = 0;
      try {
        // A write may take part of the bytes; the rest follows.
        while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return false;
        }
        if (code !== 'EAGAIN') throw error;
        viaStream = true;
        return get().write(bytes.subarray(at));
      }
    },
    get isTTY() {
      return mayBeTerminal(fd) && get().isTTY === true;
    },
    get columns() {
      return mayBeTerminal(fd) ? get().columns : undefined;
    },
  };
}

/** False when `fd` is certainly not a terminal (a pipe, a socket, a file, or closed). */
function mayBeTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

/**
 * The real process as a {@link CliIO}. With `direct`, stdout and stderr are written with
 * synchronous system calls rather than through `process.stdout` and `process.stderr` (`psr
 * scan`: one report or a few lines, which would otherwise cost the streams' start-up).
 *
 * @example
 * ```ts
 * const code = await main(['validate', 'wf.yml'], processIO());
 * ```
 */
export function processIO(options: { direct?: boolean } = {}): CliIO {
  return {
    stdout: options.direct ? directOutput(1, () => process.stdout) : pipeSafe(() => process.stdout),
    stderr: options.direct ? directOutput(2, () => process.stderr) : pipeSafe(() => process.stderr),
    env: process.env,
    cwd: process.cwd(),
    signals: process,
  };
}

/**
 * True when output written through {@link processIO} still waits for a slow reader. Streams
 * never opened hold none and are not opened to ask.
 *
 * @example
 * ```ts
 * if (!hasQueuedOutput()) process.exit();
 * ```
 */
export function hasQueuedOutput(): boolean {
  for (const stream of openedStreams) if (stream.writableLength > 0) return true;
  return false;
}
