/**
 * Reading OSV zip archives safely: entries whose names escape the archive (`..`, absolute
 * paths, drive letters), symlinks, and oversized entries are rejected before any use, so an
 * archive can neither write outside the cache nor exhaust memory.
 */
import { PsrError } from '@psr/core/errors';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type yauzlTypes from 'yauzl';

// Loaded on first use: scans of folders and warm scans never open a zip.
let yauzlLib: typeof yauzlTypes | undefined;
function yauzl(): typeof yauzlTypes {
  return (yauzlLib ??= createRequire(import.meta.url)('yauzl') as typeof yauzlTypes);
}
let inflateRaw: typeof import('node:zlib').inflateRawSync | undefined;
function inflateRawSync(data: Buffer, options: import('node:zlib').ZlibOptions): Buffer {
  inflateRaw ??= (createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib')).inflateRawSync;
  return inflateRaw(data, options);
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

// The message does not repeat the archive's path: the location carries it (`all.zip:1:1: …`).
function fail(zipPath: string, message: string, cause?: unknown, hint = 'use an OSV export such as osv.dev\'s <Ecosystem>/all.zip; psr refuses archives with unsafe entries'): PsrError {
  return new PsrError(OSV_ZIP_INVALID, message, {
    hint,
    location: { file: zipPath, line: 1, col: 1 },
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** End of central directory record: its signature, and its size without the comment. */
const EOCD_SIGNATURE = 0x06054b50;
const EOCD_BYTES = 22;
/** ZIP64 end of central directory locator: signature and size (it sits just before the record above). */
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_BYTES = 20;
/** A central directory record: fixed part, then name, extra field and comment. */
const CENTRAL_RECORD_BYTES = 46;
/** Compression methods an OSV export uses: stored and deflated. */
const STORED = 0;
const DEFLATED = 8;

/**
 * yauzl's reader over an archive in memory, answering each read in a microtask. yauzl's own
 * (`fromBuffer`) answers in `setImmediate`, one turn of the event loop per read: an entry takes
 * three or four reads, and for 150,000 entries those turns were 3 s of an 8 s index build.
 */
function memoryReader(bytes: Buffer): yauzlTypes.RandomAccessReader {
  class MemoryReader extends yauzl().RandomAccessReader {
    override _readStreamForRange(start: number, end: number): import('node:stream').Readable {
      // Only openReadStream reads through streams, and readZipEntries never calls it.
      const { Readable } = createRequire(import.meta.url)('node:stream') as typeof import('node:stream');
      return Readable.from([bytes.subarray(start, end)]);
    }

    override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
      const copied = bytes.copy(buffer, offset, position, Math.min(position + length, bytes.length));
      queueMicrotask(() => callback(null, copied));
    }
  }
  return new MemoryReader();
}

/**
 * The central directory's size as the end record declares it, or undefined for a ZIP64 archive
 * (whose 64-bit counts yauzl reads itself) and when no end record is found (yauzl reports that).
 * yauzl trusts the end record's 16-bit entry count: an archive of more than 65,535 entries written
 * without ZIP64 (as some zip libraries do) declares the count modulo 65,536, and would be read in
 * part without a word. Its central directory is then larger than the records read, which
 * {@link readZipEntries} checks.
 */
function declaredCentralDirectoryBytes(bytes: Buffer): number | undefined {
  const from = Math.max(0, bytes.length - (EOCD_BYTES + 0xffff));
  for (let at = bytes.length - EOCD_BYTES; at >= from; at--) {
    if (bytes.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    if (at >= ZIP64_LOCATOR_BYTES && bytes.readUInt32LE(at - ZIP64_LOCATOR_BYTES) === ZIP64_LOCATOR_SIGNATURE) return undefined;
    return bytes.readUInt32LE(at + 12);
  }
  return undefined;
}

/**
 * Call `onEntry` with the name and bytes of every regular file in the archive, in order.
 * Rejects the whole archive on the first unsafe entry.
 *
 * The archive is read from memory (`bytes`, default: the file read whole; a scan reads it whole
 * anyway to hash it): yauzl reads the central directory and each entry's local header (through
 * {@link memoryReader}), and each entry is inflated with one `inflateRawSync`. Through yauzl's
 * streams (a file read and a zlib stream per entry) an index build of 150,000 entries took 43 s.
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
  bytes?: Buffer,
): Promise<number> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  let archive: Buffer;
  try {
    archive = bytes ?? readFileSync(zipPath);
  } catch (err) {
    throw fail(zipPath, `cannot be read (${(err as Error).message})`, err);
  }
  const zip = await new Promise<yauzlTypes.ZipFile>((res, rej) =>
    yauzl().fromRandomAccessReader(memoryReader(archive), archive.length, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true, decodeStrings: false }, (err, z) =>
      err ? rej(fail(zipPath, `not a readable zip archive (${err.message})`, err)) : res(z),
    ),
  );
  return await new Promise<number>((res, rej) => {
    let total = 0;
    let count = 0;
    let done = false;
    // Bytes of the central directory records read so far (see declaredCentralDirectoryBytes).
    let centralBytes = 0;
    const abort = (e: PsrError): void => {
      if (done) return;
      done = true;
      zip.close();
      rej(e);
    };
    zip.on('error', (err: Error) => abort(fail(zipPath, `corrupt zip archive (${err.message})`, err)));
    zip.on('end', () => {
      if (done) return;
      const declared = declaredCentralDirectoryBytes(archive);
      if (declared !== undefined && centralBytes < declared)
        return abort(
          fail(
            zipPath,
            `zip archive declares ${zip.entryCount} entries in its end record, but its central directory holds more (${declared} bytes, ${centralBytes} read): more than 65,535 entries written without ZIP64, which could be read only in part`,
            undefined,
            're-create it with a tool that writes ZIP64 archives (zip 3.0, Python\'s zipfile, Go\'s archive/zip: osv.dev\'s exports are fine)',
          ),
        );
      done = true;
      zip.close();
      res(count);
    });
    zip.on('entry', (entry: yauzlTypes.Entry) => {
      centralBytes += CENTRAL_RECORD_BYTES + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength;
      const name = Buffer.isBuffer(entry.fileName) ? (entry.fileName as Buffer).toString('utf8') : String(entry.fileName);
      const why = unsafeEntryName(name);
      if (why) return abort(fail(zipPath, `entry "${name}" ${why}`));
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (mode === 0o120000) return abort(fail(zipPath, `entry "${name}" is a symbolic link`));
      if (name.endsWith('/')) return zip.readEntry();
      if (++count > lim.maxEntries) return abort(fail(zipPath, `zip archive of more than ${lim.maxEntries} entries`));
      if (entry.uncompressedSize > lim.maxEntryBytes)
        return abort(fail(zipPath, `entry "${name}" is ${entry.uncompressedSize} bytes uncompressed (limit ${lim.maxEntryBytes})`));
      total += entry.uncompressedSize;
      if (total > lim.maxTotalBytes) return abort(fail(zipPath, `zip archive of more than ${lim.maxTotalBytes} bytes uncompressed`));
      if (entry.isEncrypted()) return abort(fail(zipPath, `entry "${name}" is encrypted`));
      if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED)
        return abort(fail(zipPath, `entry "${name}" uses compression method ${entry.compressionMethod} (only stored and deflated entries are read)`));
      zip.readLocalFileHeader(entry, { minimal: true }, (err, header) => {
        if (done) return;
        if (err || !header) return abort(fail(zipPath, `entry "${name}" cannot be read (${err?.message})`, err));
        const start = header.fileDataStart;
        if (start + entry.compressedSize > archive.length) return abort(fail(zipPath, `entry "${name}" runs past the end of the archive`));
        const stored = archive.subarray(start, start + entry.compressedSize);
        let data: Buffer;
        try {
          // One byte past the limit tells an entry that inflates past it from one that just fits.
          // Output chunks of the size the header gives (zlib's default, 16 KB, made every small
          // record allocate and free 16 KB).
          const chunkSize = Math.min(Math.max(entry.uncompressedSize + 1, 64), 1024 * 1024);
          data = entry.compressionMethod === DEFLATED ? inflateRawSync(stored, { chunkSize, maxOutputLength: lim.maxEntryBytes + 1 }) : Buffer.from(stored);
        } catch (e) {
          const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
          return abort(fail(zipPath, tooLarge ? `entry "${name}" inflates past ${lim.maxEntryBytes} bytes` : `entry "${name}" is corrupt (${(e as Error).message})`, e));
        }
        if (data.length > lim.maxEntryBytes) return abort(fail(zipPath, `entry "${name}" inflates past ${lim.maxEntryBytes} bytes`));
        if (data.length !== entry.uncompressedSize)
          return abort(fail(zipPath, `entry "${name}" is corrupt (${data.length} bytes inflated, its header says ${entry.uncompressedSize})`));
        try {
          onEntry(name, data);
        } catch (e) {
          return abort(e instanceof PsrError ? e : fail(zipPath, (e as Error).message, e));
        }
        zip.readEntry();
      });
    });
    zip.readEntry();
  });
}
