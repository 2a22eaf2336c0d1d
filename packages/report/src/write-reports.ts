/**
 * Writing report files: every file appears complete or not at all (temp file in the same
 * directory, then rename), parent directories are created, and a path that a symlink
 * redirects out of the directory it names is refused.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PsrError } from '@psr/core/errors';
import type { Report } from './report.js';
import { ReportErrorCodes } from './report-errors.js';
import { pieceText, type TextPiece } from './render/json.js';
import { REPORT_FORMATS, isReportFormat, renderReportPieces, type RenderOptions, type ReportFormat } from './render-report.js';

/**
 * One output file.
 *
 * @example
 * ```ts
 * const target: ReportTarget = { format: 'sarif', path: 'reports/psr.sarif' };
 * ```
 */
export interface ReportTarget {
  format: ReportFormat;
  /** File path; relative paths resolve against `options.root`. */
  path: string;
}

/**
 * Options for {@link writeReports}.
 *
 * @example
 * ```ts
 * const options: WriteReportsOptions = { root: ctx.workdir, render: { markdown: { title: 'Audit' } } };
 * ```
 */
export interface WriteReportsOptions {
  /**
   * Directory relative paths resolve against, and the boundary symlinks may not lead out of
   * (default `process.cwd()`). An explicit absolute path outside it is the user's choice and
   * allowed; a path inside it that a symlink sends elsewhere is not.
   */
  root?: string;
  render?: RenderOptions;
}

/**
 * Write one report to several files, each atomically. Every file is first written in full to
 * a temp file beside it, and only then are they renamed into place, so a rendering or writing
 * failure leaves every file as it was. Report files are not flushed to disk before the rename
 * (see {@link writeFileAtomic} for that): a report is output that the scan reproduces, and the
 * flush of a multi-megabyte report cost a warm scan ~5 ms of its ~150. A device or pipe
 * (`/dev/stdout`, `/dev/null`, a FIFO) is written in place, after the files are staged.
 *
 * @returns the absolute paths written, in the order given.
 * @throws PsrError `PSR_REPORT_FORMAT` (unknown format), `PSR_REPORT_UNSAFE_PATH` (a symlink
 *   leads outside `root`), `PSR_REPORT_WRITE` (the file cannot be written).
 * @example
 * ```ts
 * await writeReports(report, [
 *   { format: 'json', path: 'out/scan.json' },
 *   { format: 'sarif', path: 'out/scan.sarif' },
 *   { format: 'markdown', path: 'out/comment.md' },
 * ], { root: ctx.workdir });
 * ```
 */
export async function writeReports(
  report: Report,
  targets: readonly ReportTarget[],
  options: WriteReportsOptions = {},
): Promise<string[]> {
  const root = resolve(options.root ?? process.cwd());
  for (const t of targets) {
    if (!isReportFormat(t.format)) {
      throw new PsrError(ReportErrorCodes.FORMAT, `unknown report format "${String(t.format)}" for ${t.path}`, {
        hint: `use one of: ${REPORT_FORMATS.join(', ')}`,
      });
    }
  }
  const staged: Array<{ destination: string; temp: string }> = [];
  const streams: Array<{ path: string; format: ReportFormat }> = [];
  try {
    for (const t of targets) {
      const path = resolve(root, t.path);
      if (isStreamDestination(path)) {
        streams.push({ path, format: t.format });
        continue;
      }
      const destination = safeDestination(path, root);
      // Rendered piece by piece as it is written (JSON, SARIF, the table: thousands of findings).
      const data = await renderReportPieces(report, t.format, options.render);
      staged.push({ destination, temp: writeTemp(destination, data, { durable: false }) });
    }
    // Devices and pipes are written in place once the files are staged, so a failure there
    // (a closed pipe, a full disk) still leaves every file as it was.
    for (const { path, format } of streams) writeStream(path, await renderReportPieces(report, format, options.render));
    for (const [i, { destination, temp }] of staged.entries()) {
      try {
        renameSync(temp, destination);
      } catch (error) {
        throw writeError(destination, error);
      }
      staged[i]!.temp = '';
    }
    removeStaleTemps(staged.map((s) => s.destination));
  } finally {
    for (const { temp } of staged) if (temp) removeQuietly(temp);
  }
  // Every target was written (a failure throws above).
  return targets.map((t) => resolve(root, t.path));
}

/**
 * Write `data` (text, or text in pieces written in order) to `path` atomically: a temp file in
 * the same directory (created exclusively, so nothing pre-planted there is followed), flushed to
 * disk (fsync), then renamed over the target. On any failure the temp file is removed and the
 * target is untouched.
 *
 * @throws PsrError `PSR_REPORT_WRITE`.
 * @example
 * ```ts
 * await writeFileAtomic('/tmp/out/report.json', renderJson(report));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Iterable<TextPiece>): Promise<void> {
  if (isStreamDestination(path)) {
    writeStream(path, data);
    return;
  }
  const temp = writeTemp(path, data, { durable: true });
  try {
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw writeError(path, error);
  }
  removeStaleTemps([path]);
}

/** A temp file beside `path`: `.<name>.<pid>.<12 hex>.tmp`, unique, hidden, and traceable to its writer. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** A name made by {@link tempPathFor}: the target's name and the writer's pid. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

const STALE_SCAN_MAX_DIR_BYTES = 64 * 1024;

/** A temp file of this long-gone writer is left over, not in use (a write takes milliseconds). */
const STALE_TEMP_MS = 10 * 60 * 1000;

/**
 * Remove the temp files that earlier writers of `paths` left when they were killed mid-write
 * ({@link tempPathFor}: SIGKILL, or Ctrl-C, which psr does not trap during a write). Only when
 * that process is gone and the file is over ten minutes old: a writer in another PID namespace (a
 * container sharing the folder) may look gone but is never that slow. Each folder is listed once.
 * Best effort.
 */
function removeStaleTemps(paths: readonly string[]): void {
  const byFolder = new Map<string, string[]>();
  for (const path of paths) {
    const targets = byFolder.get(dirname(path));
    if (targets) targets.push(basename(path));
    else byFolder.set(dirname(path), [basename(path)]);
  }
  const now = Date.now();
  for (const [folder, targets] of byFolder) {
    let names: string[];
    try {
      // Listing a folder of thousands of files costs milliseconds on every write: such a folder
      // (a directory file over 64 KiB, ~2,000 entries on ext4) is left alone.
      if (statSync(folder).size > STALE_SCAN_MAX_DIR_BYTES) continue;
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const temp = TEMP_NAME.exec(name);
      if (!temp || !targets.includes(temp[1]!) || isAnotherLiveProcess(Number(temp[2]))) continue;
      try {
        if (now - lstatSync(join(folder, name)).mtimeMs > STALE_TEMP_MS) unlinkSync(join(folder, name));
      } catch {
        // Removed meanwhile, or not ours to remove.
      }
    }
  }
}

/** True when `pid` is another running process; a temp file named with this process's own pid is judged by its age alone. */
function isAnotherLiveProcess(pid: number): boolean {
  if (pid === process.pid) return false; // a container's PIDs repeat from run to run
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, another user's
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or never created.
  }
}

// Text is encoded into one reused buffer of this size and written from it, so a report of
// several megabytes never needs a buffer (or a string) of its size.
const WRITE_BUFFER_BYTES = 256 * 1024;

/**
 * Write `data` to a new temp file beside `path`, flushed to disk when `durable` (so that a power
 * loss right after the rename cannot leave an empty file in place of the old one); returns the
 * temp file's path.
 * File system errors become `PSR_REPORT_WRITE` (and leave no temp file); an error thrown while
 * rendering the pieces is passed on as it is. The file system is called synchronously: a
 * report is written in a few milliseconds, where asynchronous calls would each be a round trip
 * through the thread pool (a multi-megabyte report takes dozens).
 */
function writeTemp(path: string, data: string | Iterable<TextPiece>, { durable }: { durable: boolean }): string {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    // mkdir -p reports EEXIST when a component of the path is an existing file.
    const code = (error as NodeJS.ErrnoException).code;
    throw writeError(path, code === 'EEXIST' ? Object.assign(new Error((error as Error).message), { code: 'ENOTDIR' }) : error);
  }
  const temp = tempPathFor(path);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (error) {
    throw writeError(path, error);
  }
  let closed = false;
  let complete = false;
  try {
    writePieces(fd, path, data);
    try {
      if (durable) fsyncSync(fd);
      closed = true;
      closeSync(fd);
    } catch (error) {
      throw writeError(path, error);
    }
    complete = true;
  } finally {
    if (!closed) {
      try {
        closeSync(fd);
      } catch {
        // Closing after a failed write: that write's error is the one reported.
      }
    }
    if (!complete) removeQuietly(temp);
  }
  return temp;
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Encode `data` into one reused buffer and write it to `fd` (errors name `path`). */
function writePieces(fd: number, path: string, data: string | Iterable<TextPiece>): void {
  const flush = (bytes: Buffer, length: number): void => {
    // Repeated from where a short write stopped; a non-blocking pipe that is full (EAGAIN: stdout
    // when Node has opened it) is waited for a millisecond at a time.
    for (let at = 0; at < length; ) {
      try {
        at += writeSync(fd, bytes, at, length - at);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw writeError(path, error);
        Atomics.wait(PAUSE, 0, 0, 1);
      }
    }
  };
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  for (const piece of typeof data === 'string' ? [data] : data) {
    const text = typeof piece === 'string' ? piece : piece.text;
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    if (used > 0 && used + text.length * 3 > WRITE_BUFFER_BYTES) {
      flush(buffer, used);
      used = 0;
    }
    if (text.length * 3 > WRITE_BUFFER_BYTES) {
      const bytes = Buffer.from(pieceText(piece), 'utf8');
      flush(bytes, bytes.length);
    } else if (typeof piece === 'string') used += buffer.write(piece, used, 'utf8');
    else {
      // The whole string, then its window moved down over the cut-off start (ASCII: one byte a unit).
      const written = buffer.write(text, used, 'utf8');
      const cutEnd = text.length - piece.end;
      buffer.copyWithin(used, used + piece.start, used + written - cutEnd);
      used += written - piece.start - cutEnd;
    }
  }
  if (used > 0) flush(buffer, used);
}

/**
 * True for a destination that is not a file to replace: a device (`/dev/null`, a terminal), a
 * pipe or a socket, or one of this process's descriptors (`/dev/stdout`, `/dev/fd/3`, even when
 * it is redirected to a file). A temp file renamed over one would replace the device node
 * itself (as root, `/dev/null` became a JSON file). A new file under `/dev/shm` is a file.
 */
function isStreamDestination(path: string): boolean {
  if (ownDescriptor(path) !== undefined) return true;
  try {
    const info = statSync(path, { throwIfNoEntry: false });
    return info !== undefined && !info.isFile() && !info.isDirectory();
  } catch {
    return false; // not reachable (a parent is a file, no permission): the write will say why
  }
}

/**
 * The descriptor a path names in this process: `/dev/stdout` 1, `/dev/stderr` 2, `/dev/fd/N` and
 * `/proc/self/fd/N` N. Opening those again fails when the descriptor is a socket (ENXIO: a
 * child process's piped stdout is one), so they are written through the descriptor itself.
 */
function ownDescriptor(path: string): number | undefined {
  if (path === '/dev/stdout') return 1;
  if (path === '/dev/stderr') return 2;
  const m = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path);
  return m ? Number(m[1]) : undefined;
}

/** Write straight into a device, pipe or socket (no temp file: there is nothing to replace). */
function writeStream(path: string, data: string | Iterable<TextPiece>): void {
  const own = ownDescriptor(path);
  if (own !== undefined) {
    writePieces(own, path, data);
    return;
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw writeError(path, error);
  }
  try {
    writePieces(fd, path, data);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // The write's error, if any, is the one reported.
    }
  }
}

/**
 * Where to write `path`: refuses when a symlink (in a parent or the file itself) takes a
 * path that lies inside `root` to a real location outside it. A symlinked target that stays
 * inside is written through (the link is kept, its target replaced atomically).
 */
function safeDestination(path: string, root: string): string {
  const realRoot = realOrSame(root);
  const lexicallyInside = isInside(path, root);
  let destination = path;
  let info;
  try {
    info = lstatSync(path);
  } catch {
    info = undefined;
  }
  if (info?.isSymbolicLink()) {
    // A dangling link resolves to where it would point.
    try {
      destination = realpathSync.native(path);
    } catch {
      destination = resolve(dirname(path), readlinkSync(path));
    }
  } else if (info?.isDirectory()) {
    throw new PsrError(ReportErrorCodes.WRITE, `cannot write report ${path}: it is a directory`, {
      hint: 'give a file name, e.g. reports/psr.sarif',
    });
  }
  const realDestination = join(realExistingAncestor(dirname(destination)), basename(destination));
  if (lexicallyInside && !isInside(realDestination, realRoot)) {
    throw new PsrError(ReportErrorCodes.UNSAFE_PATH, `refusing to write report ${path}: a symlink leads it to ${realDestination}, outside ${root}`, {
      hint: 'write to a path without symlinks that leave the workspace, or give the real absolute path explicitly',
    });
  }
  return realDestination;
}

/** realpath of `path`, or `path` itself when it cannot be resolved. */
function realOrSame(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/** realpath of the deepest ancestor of `dir` that exists, with the missing rest appended. */
function realExistingAncestor(dir: string): string {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      return join(realpathSync.native(current), ...[...missing].reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return join(current, ...[...missing].reverse());
      missing.push(basename(current));
      current = parent;
    }
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function writeError(path: string, error: unknown): PsrError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOTDIR'
        ? 'a parent of it is a file, not a directory'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'ENOSPC'
            ? 'no space left on the device'
            : (error as Error).message;
  return new PsrError(ReportErrorCodes.WRITE, `cannot write report ${path}: ${reason}`, {
    hint: 'choose another output path or fix the directory’s permissions',
    cause: error,
  });
}
