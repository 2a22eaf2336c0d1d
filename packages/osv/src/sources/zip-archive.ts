/**
 * Reading OSV zip archives safely: entries whose names escape the archive (`..`, absolute
 * paths, drive letters), symlinks, and oversized entries are rejected before any use, so an
 * archive can neither write outside the cache nor exhaust memory.
 */
import { PsrError } from '@psr/core/errors';
import { createRequire } from 'node:module';
import type yauzlTypes from 'yauzl';

// Loaded on first use: scans of folders and warm scans never open a zip.
let yauzlLib: typeof yauzlTypes | undefined;
function yauzl(): typeof yauzlTypes {
  return (yauzlLib ??= createRequire(import.meta.url)('yauzl') as typeof yauzlTypes);
}

/** Error code: the zip is malformed, unsafe (zip-slip, symlink) or too large. */
export const OSV_ZIP_INVALID = 'PSR_OSV_ZIP_INVALID';

/** Limits applied to every archive. */
export interface ZipLimits {
  /** Largest uncompressed entry accepted (default 64 MiB: no advisory is near that). */
  maxEntryBytes: number;
  /** Largest total uncompressed size (default 4 GiB). */
  maxTotalBytes: number;
  /** Most entries accepted (default 2,000,000). */
  maxEntries: number;
}

const DEFAULT_LIMITS: ZipLimits = { maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 4 * 1024 ** 3, maxEntries: 2_000_000 };

/**
 * Why an entry name is unsafe, or undefined when it is a plain relative path.
 *
 * @example
 * ```ts
 * unsafeEntryName('../../etc/passwd'); // 'climbs out of the archive with ".."'
 * ```
 */
export function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\u0000')) return 'contains a NUL byte';
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/')) return 'is an absolute path';
  if (/^[a-zA-Z]:/.test(n)) return 'starts with a drive letter';
  if (n.split('/').includes('..')) return 'climbs out of the archive with ".."';
  return undefined;
}

function fail(zipPath: string, message: string, cause?: unknown): PsrError {
  return new PsrError(OSV_ZIP_INVALID, `${zipPath}: ${message}`, {
    hint: 'use an OSV export such as osv.dev\'s <Ecosystem>/all.zip; psr refuses archives with unsafe entries',
    location: { file: zipPath, line: 1, col: 1 },
    ...(cause !== undefined ? { cause } : {}),
  });
}

/**
 * Call `onEntry` with the name and bytes of every regular file in the archive, in order.
 * Rejects the whole archive on the first unsafe entry.
 *
 * @example
 * ```ts
 * await readZipEntries('all.zip', (name, data) => { console.log(name, data.length); });
 * ```
 */
export async function readZipEntries(
  zipPath: string,
  onEntry: (name: string, data: Buffer) => void,
  limits: Partial<ZipLimits> = {},
): Promise<number> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const zip = await new Promise<yauzlTypes.ZipFile>((res, rej) =>
    // validateEntrySizes: yauzl checks each entry's actual inflated size against its header.
    yauzl().open(zipPath, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true, decodeStrings: false }, (err, z) =>
      err ? rej(fail(zipPath, `not a readable zip archive (${err.message})`, err)) : res(z),
    ),
  );
  return await new Promise<number>((res, rej) => {
    let total = 0;
    let count = 0;
    let done = false;
    const abort = (e: PsrError): void => {
      if (done) return;
      done = true;
      zip.close();
      rej(e);
    };
    zip.on('error', (err: Error) => abort(fail(zipPath, `corrupt archive (${err.message})`, err)));
    zip.on('end', () => {
      if (!done) {
        done = true;
        res(count);
      }
    });
    zip.on('entry', (entry: yauzlTypes.Entry) => {
      const name = Buffer.isBuffer(entry.fileName) ? (entry.fileName as Buffer).toString('utf8') : String(entry.fileName);
      const why = unsafeEntryName(name);
      if (why) return abort(fail(zipPath, `entry "${name}" ${why}`));
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (mode === 0o120000) return abort(fail(zipPath, `entry "${name}" is a symbolic link`));
      if (name.endsWith('/')) return zip.readEntry();
      if (++count > lim.maxEntries) return abort(fail(zipPath, `more than ${lim.maxEntries} entries`));
      if (entry.uncompressedSize > lim.maxEntryBytes)
        return abort(fail(zipPath, `entry "${name}" is ${entry.uncompressedSize} bytes uncompressed (limit ${lim.maxEntryBytes})`));
      total += entry.uncompressedSize;
      if (total > lim.maxTotalBytes) return abort(fail(zipPath, `more than ${lim.maxTotalBytes} bytes uncompressed`));
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return abort(fail(zipPath, `entry "${name}" cannot be read (${err?.message})`, err));
        const parts: Buffer[] = [];
        let size = 0;
        stream.on('data', (c: Buffer) => {
          size += c.length;
          if (size > lim.maxEntryBytes) {
            stream.destroy();
            abort(fail(zipPath, `entry "${name}" inflates past ${lim.maxEntryBytes} bytes`));
          } else parts.push(c);
        });
        stream.on('error', (e: Error) => abort(fail(zipPath, `entry "${name}" is corrupt (${e.message})`, e)));
        stream.on('end', () => {
          if (done) return;
          try {
            onEntry(name, Buffer.concat(parts));
          } catch (e) {
            return abort(e instanceof PsrError ? e : fail(zipPath, (e as Error).message, e));
          }
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}
