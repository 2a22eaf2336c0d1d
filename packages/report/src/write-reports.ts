/**
 * Writing report files: every file appears complete or not at all (temp file in the same
 * directory, then rename), parent directories are created, and a path that a symlink
 * redirects out of the directory it names is refused.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readlink, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PsrError } from '@psr/core/errors';
import type { Report } from './report.js';
import { ReportErrorCodes } from './report-errors.js';
import { renderJsonBytes } from './render/json.js';
import { REPORT_FORMATS, isReportFormat, renderReport, type RenderOptions, type ReportFormat } from './render-report.js';

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
 * Write one report to several files, each atomically. All formats are rendered before any
 * file is touched, so a rendering failure leaves every file as it was.
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
  const rendered: Array<{ path: string; data: string | Buffer[] }> = [];
  for (const t of targets)
    rendered.push({
      path: resolve(root, t.path),
      // JSON (the big one: thousands of findings) is encoded in pieces; see renderJsonBytes.
      data: t.format === 'json' ? renderJsonBytes(report) : await renderReport(report, t.format, options.render),
    });
  const written: string[] = [];
  for (const { path, data } of rendered) {
    const destination = await safeDestination(path, root);
    await writeFileAtomic(destination, data);
    written.push(path);
  }
  return written;
}

/**
 * Write `data` (text, or byte pieces written in order) to `path` atomically: a temp file in the same directory (created exclusively,
 * so nothing pre-planted there is followed), flushed, then renamed over the target. On any
 * failure the temp file is removed and the target is untouched.
 *
 * @throws PsrError `PSR_REPORT_WRITE`.
 * @example
 * ```ts
 * await writeFileAtomic('/tmp/out/report.json', renderJson(report));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | readonly Uint8Array[]): Promise<void> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    // mkdir -p reports EEXIST when a component of the path is an existing file.
    const code = (error as NodeJS.ErrnoException).code;
    throw writeError(path, code === 'EEXIST' ? Object.assign(new Error((error as Error).message), { code: 'ENOTDIR' }) : error);
  }
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, 'wx', 0o644);
    created = true;
    try {
      // All pieces in one gathered write, repeated from where a short write stopped; then flushed.
      let pending: Uint8Array[] = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : [...data];
      while (pending.length > 0) pending = unwritten(pending, (await handle.writev(pending)).bytesWritten);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
  } catch (error) {
    throw writeError(path, error);
  } finally {
    if (created) await unlink(temp).catch(() => undefined);
  }
}

/** What is left of `pieces` after their first `written` bytes. */
function unwritten(pieces: readonly Uint8Array[], written: number): Uint8Array[] {
  let i = 0;
  while (i < pieces.length && written >= pieces[i]!.length) written -= pieces[i++]!.length;
  if (i === pieces.length) return [];
  return [pieces[i]!.subarray(written), ...pieces.slice(i + 1)];
}

/**
 * Where to write `path`: refuses when a symlink (in a parent or the file itself) takes a
 * path that lies inside `root` to a real location outside it. A symlinked target that stays
 * inside is written through (the link is kept, its target replaced atomically).
 */
async function safeDestination(path: string, root: string): Promise<string> {
  const realRoot = await realpath(root).catch(() => root);
  const lexicallyInside = isInside(path, root);
  let destination = path;
  const info = await lstat(path).catch(() => undefined);
  if (info?.isSymbolicLink()) {
    // A dangling link resolves to where it would point.
    destination = await realpath(path).catch(async () => resolve(dirname(path), await readlink(path)));
  } else if (info?.isDirectory()) {
    throw new PsrError(ReportErrorCodes.WRITE, `cannot write report ${path}: it is a directory`, {
      hint: 'give a file name, e.g. reports/psr.sarif',
    });
  }
  const realDestination = join(await realExistingAncestor(dirname(destination)), basename(destination));
  if (lexicallyInside && !isInside(realDestination, realRoot)) {
    throw new PsrError(ReportErrorCodes.UNSAFE_PATH, `refusing to write report ${path}: a symlink leads it to ${realDestination}, outside ${root}`, {
      hint: 'write to a path without symlinks that leave the workspace, or give the real absolute path explicitly',
    });
  }
  return realDestination;
}

/** realpath of the deepest ancestor of `dir` that exists, with the missing rest appended. */
async function realExistingAncestor(dir: string): Promise<string> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      return join(await realpath(current), ...[...missing].reverse());
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
