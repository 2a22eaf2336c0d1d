/**
 * The on-disk index of one ecosystem of one data snapshot. Layout: one line of JSON header
 * (`{format, ecosystem, source, names, packages, tables}`: the sorted package names, and for
 * each name the offset and length of its advisories and of its match table), a newline, then
 * the body: for each package a JSON array of {@link IndexedAdvisory} without its `source`
 * (the header names it once for the whole file; offsets in bytes), then for each package that
 * has one its match table (match-table.ts, stored as stored-match-table.ts describes), which
 * answers a scan without evaluating a single range. Opening a file reads and parses the
 * header only; a package's bytes are read (one positional read) and decoded when asked for, so
 * a scan touches only the packages its project pins. The file is pure ASCII
 * (other characters are written as JSON `\u` escapes), so a package's bytes become a string by
 * a plain copy (Latin-1), with no UTF-8 decoding. Range events carry their PEP 440 sort keys,
 * so a scan parses only the versions it was given.
 */
import { closeSync, fstatSync, openSync, readSync, rmSync } from 'node:fs';
import { PsrError } from '@psr/core/errors';
import { asciiJson } from './ascii-json.js';
import type { IndexedAdvisory } from './compiled-advisory.js';
import type { PackageMatch } from './match.js';
import { answerFromTable, buildMatchTable } from './match-table.js';
import { lowerBound } from './sorted-strings.js';
import { encodeMatchTable, StoredMatchTable } from './stored-match-table.js';
import type { Ecosystem } from './version-scheme.js';

/**
 * Error code: a compiled index file in the cache is damaged (edited by hand, a disk fault). The
 * file is removed when this is thrown, so opening the source again rebuilds it from the data.
 */
export const OSV_INDEX_DAMAGED = 'PSR_OSV_INDEX_DAMAGED';

/** Bumped whenever the compiled form or matching inputs change; old indexes are rebuilt. */
export const INDEX_FORMAT = 14;

interface IndexHeader {
  format: number;
  ecosystem: Ecosystem;
  /** The data source every advisory of the file comes from. */
  source: string;
  /** Normalised package names in code-unit order (looked up by binary search). */
  names: string[];
  /** Offset and length of each name's advisories: `[offset0, length0, offset1, length1, …]`. */
  packages: number[];
  /** Offset and length of each name's match table, the same way (`-1, 0` when it has none). */
  tables: number[];
}

/** An advisory as the body stores it: its source is the header's. */
type StoredAdvisory = Omit<IndexedAdvisory, 'source'>;

/**
 * Collects one ecosystem's advisories as index text, package by package, while they are
 * compiled: each advisory becomes its JSON text at once, which holds far less memory through a
 * build of thousands of records than the compiled objects would.
 *
 * @example
 * ```ts
 * const index = new IndexFileBuilder('PyPI', 'pypa-advisory-db');
 * index.add('jinja2', advisory);
 * const bytes = index.encode();
 * ```
 */
export class IndexFileBuilder {
  readonly ecosystem: Ecosystem;
  /** The data source every added advisory must come from. */
  readonly source: string;
  /** JSON text of each package's advisories, in the order they were added. */
  private readonly packages = new Map<string, string[]>();

  constructor(ecosystem: Ecosystem, source: string) {
    this.ecosystem = ecosystem;
    this.source = source;
  }

  /** Add one advisory under a normalised package name. */
  add(name: string, advisory: IndexedAdvisory): void {
    const text = asciiJson(storedAdvisory(advisory, this.source));
    const list = this.packages.get(name);
    if (list) list.push(text);
    else this.packages.set(name, [text]);
  }

  /**
   * The index file: the header, then each package's advisories as one JSON array, then the
   * match tables. A table is worked out from the advisories read back from their text.
   */
  encode(): Buffer {
    const names = [...this.packages.keys()].sort();
    // Flat arrays of numbers: the header is parsed by every scan, and a JSON object with a key
    // per package costs several times as much to parse.
    const header: IndexHeader = { format: INDEX_FORMAT, ecosystem: this.ecosystem, source: this.source, names, packages: [], tables: [] };
    const chunks: string[] = [];
    let offset = 0;
    for (const name of names) {
      // The same text as JSON.stringify of the array.
      const chunk = `[${this.packages.get(name)!.join(',')}]`;
      header.packages.push(offset, chunk.length);
      chunks.push(chunk);
      offset += chunk.length;
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const advisories = JSON.parse(chunks[i]!) as IndexedAdvisory[];
      for (const a of advisories) a.source = this.source;
      const table = buildMatchTable(advisories, this.ecosystem, name);
      if (table === undefined) {
        header.tables.push(-1, 0);
        continue;
      }
      const chunk = encodeMatchTable(table);
      header.tables.push(offset, chunk.length);
      chunks.push(chunk);
      offset += chunk.length;
    }
    // Written piece by piece into one buffer: joining the pieces first would hold the whole body
    // twice more (a string and its copy) at the peak of an index build.
    const head = `${asciiJson(header)}\n`;
    const bytes = Buffer.allocUnsafe(head.length + offset);
    let at = bytes.write(head, 0, 'latin1');
    for (let i = 0; i < chunks.length; i++) at += bytes.write(chunks[i]!, at, 'latin1');
    return bytes;
  }
}

/**
 * Serialise advisories by package into the index file format. Every advisory must come from
 * `source` (one index file holds one data source).
 *
 * @example
 * ```ts
 * const bytes = encodeIndexFile('PyPI', 'pypa-advisory-db', new Map([['jinja2', [advisory]]]));
 * ```
 */
export function encodeIndexFile(ecosystem: Ecosystem, source: string, packages: ReadonlyMap<string, IndexedAdvisory[]>): Buffer {
  const index = new IndexFileBuilder(ecosystem, source);
  for (const [name, advisories] of packages) for (const advisory of advisories) index.add(name, advisory);
  return index.encode();
}

/** `advisory` without its source, fields in the index's order. */
function storedAdvisory(advisory: IndexedAdvisory, source: string): StoredAdvisory {
  if (advisory.source !== source) throw new Error(`advisory ${advisory.id} comes from ${advisory.source}, the index holds ${source}`);
  const { source: _source, ...stored } = advisory;
  return stored;
}

/** Checks a parsed header against the body's length; returns the longest package entry. */
function checkHeader(header: IndexHeader, bodyLength: number): number {
  if (header.format !== INDEX_FORMAT) throw new Error(`index format ${header.format}, expected ${INDEX_FORMAT}`);
  const n = Array.isArray(header.names) ? header.names.length : -1;
  if (n < 0 || !Array.isArray(header.packages) || !Array.isArray(header.tables) || header.packages.length !== 2 * n || header.tables.length !== 2 * n)
    throw new Error('index header does not describe every package');
  for (let i = 1; i < n; i++) if (!(header.names[i - 1]! < header.names[i]!)) throw new Error('index header names are not sorted');
  let end = 0;
  let longest = 0;
  for (const slots of [header.packages, header.tables])
    for (let i = 0; i < slots.length; i += 2) {
      const offset = slots[i]!;
      const length = slots[i + 1]!;
      if (offset < 0) continue;
      end = Math.max(end, offset + length);
      longest = Math.max(longest, length);
    }
  if (end !== bodyLength) throw new Error(`index body holds ${bodyLength} bytes, the header describes ${end}`);
  return longest;
}

/** Reads exactly `length` bytes at `position` into the start of `into` (short reads are continued). */
function readFully(fd: number, into: Buffer, length: number, position: number): void {
  for (let at = 0; at < length; ) {
    const n = readSync(fd, into, at, length - at, position + at);
    if (n === 0) throw new Error('index file ends early');
    at += n;
  }
}

/** Bytes read at a time while looking for the end of the header. */
const HEADER_READ_BYTES = 64 * 1024;

/**
 * Bytes read at once when a package is not in the bytes read last. A scan asks for its
 * packages in name order, which is the file's order, so one read serves many packages: a
 * 700-package project then costs a few dozen reads instead of 700 (each system call is dear on
 * small VMs), through one buffer of this size.
 */
const READ_AHEAD_BYTES = 64 * 1024;

/** Bytes of the file read ahead at once, and where in the file they start. */
interface ReadWindow {
  bytes: Buffer | undefined;
  start: number;
  length: number;
}

/**
 * One index file, in memory (just built) or opened on disk ({@link IndexFile.read}, which keeps
 * the file open until {@link IndexFile.close}); a package's advisories are read and decoded
 * each time they are asked for.
 *
 * @example
 * ```ts
 * const file = IndexFile.read('/cache/osv-index/ab12/PyPI.idx');
 * try {
 *   file.advisoriesFor('django').length;
 * } finally {
 *   file.close();
 * }
 * ```
 */
export class IndexFile {
  readonly ecosystem: Ecosystem;
  /** The data source of every advisory in the file. */
  readonly source: string;
  private readonly header: IndexHeader;
  /** The body of an in-memory index; undefined when packages are read from `fd`. */
  private readonly body: Buffer | undefined;
  /** The open index file (-1: in memory, or closed). */
  private fd: number;
  /** Where the body starts in the file. */
  private readonly bodyStart: number;
  /** Size of the longest package entry: a read buffer is never smaller. */
  private readonly longest: number;
  /** Size of the file on disk (0 in memory). */
  private readonly fileSize: number;
  /**
   * The bytes read last from each region of the body: the advisories and the match tables. A
   * scan reads tables in name order and falls back to a package's advisories now and then; with
   * one window for both regions, each fallback and the table after it re-read a whole window
   * (the 700-pin PyPA scan read 11.6 MB of a 3.6 MB file, in 40 reads).
   */
  private readonly advisoryWindow: ReadWindow = { bytes: undefined, start: 0, length: 0 };
  private readonly tableWindow: ReadWindow = { bytes: undefined, start: 0, length: 0 };
  /** `[source]`, shared by every group answered from this file's tables. */
  private sources: string[] | undefined;

  /** The file on disk ({@link read}); undefined in memory. */
  private readonly path: string | undefined;

  private constructor(header: IndexHeader, source: { body: Buffer } | { fd: number; bodyStart: number; fileSize: number; path: string }, longest: number) {
    this.header = header;
    this.path = 'path' in source ? source.path : undefined;
    this.ecosystem = header.ecosystem;
    this.source = header.source;
    this.body = 'body' in source ? source.body : undefined;
    this.fd = 'fd' in source ? source.fd : -1;
    this.bodyStart = 'fd' in source ? source.bodyStart : 0;
    this.fileSize = 'fd' in source ? source.fileSize : 0;
    this.longest = longest;
  }

  /** Parse index bytes; throws when they are not a current-format index. */
  static decode(bytes: Buffer): IndexFile {
    const nl = bytes.indexOf(10);
    if (nl < 0) throw new Error('index file has no header');
    // Latin-1 maps each byte to one character: for an ASCII file, exactly its text.
    const header = JSON.parse(bytes.toString('latin1', 0, nl)) as IndexHeader;
    const body = bytes.subarray(nl + 1);
    return new IndexFile(header, { body }, checkHeader(header, body.length));
  }

  /**
   * Open an index file and parse its header; throws when it is not a current-format index.
   * The file stays open for {@link advisoriesFor} until {@link close}.
   */
  static read(path: string): IndexFile {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      let head = Buffer.allocUnsafe(Math.min(size, HEADER_READ_BYTES));
      let got = 0;
      let nl = -1;
      while (nl < 0) {
        if (got === size) throw new Error('index file has no header');
        if (got === head.length) {
          const larger = Buffer.allocUnsafe(Math.min(size, head.length * 2));
          head.copy(larger, 0, 0, got);
          head = larger;
        }
        const n = readSync(fd, head, got, head.length - got, got);
        if (n === 0) throw new Error('index file has no header');
        nl = head.subarray(0, got + n).indexOf(10, got);
        got += n;
      }
      const header = JSON.parse(head.toString('latin1', 0, nl)) as IndexHeader;
      return new IndexFile(header, { fd, bodyStart: nl + 1, fileSize: size, path }, checkHeader(header, size - nl - 1));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Close the file of an index opened with {@link read} (nothing to do for one in memory). */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Number of packages with advisories. */
  get packageCount(): number {
    return this.header.names.length;
  }

  /** Indexed (normalised) package names. */
  packageNames(): string[] {
    return [...this.header.names];
  }

  /** True when the file holds advisories for this normalised package name. */
  has(name: string): boolean {
    return this.position(name) >= 0;
  }

  /**
   * Advisories for one normalised package name (empty when none), freshly decoded. Not cached:
   * a scan asks once per package and keeps only what its findings need, so the decoded objects
   * die young instead of being copied into the old generation by every collection.
   */
  advisoriesFor(name: string): IndexedAdvisory[] {
    const at = this.position(name);
    if (at < 0) return [];
    const text = this.text(this.header.packages[2 * at]!, this.header.packages[2 * at + 1]!, this.advisoryWindow);
    let advisories: IndexedAdvisory[];
    try {
      advisories = JSON.parse(text) as IndexedAdvisory[];
      for (let i = 0; i < advisories.length; i++) advisories[i]!.source = this.source;
    } catch (err) {
      throw this.damaged(name, err);
    }
    return advisories;
  }

  /**
   * The match of one installed version of a package read from its match table, the same as
   * matching it against {@link advisoriesFor}; undefined when the package has no table or the
   * version no PEP 440 sort key (match it from the advisories then).
   *
   * @example
   * ```ts
   * const m = file.matchFromTable('jinja2', 'Jinja2', '2.10') ?? matchPackage(file.advisoriesFor('jinja2'), 'PyPI', 'Jinja2', '2.10');
   * ```
   */
  matchFromTable(key: string, name: string, version: string): PackageMatch | undefined {
    const at = this.position(key);
    if (at < 0 || this.header.tables[2 * at]! < 0) return undefined;
    const { bytes, start, end } = this.bytes(this.header.tables[2 * at]!, this.header.tables[2 * at + 1]!, this.tableWindow);
    try {
      // Answered before the next read into the window (a large table reads its fragments from it).
      return answerFromTable(StoredMatchTable.read(bytes, start, end), this.ecosystem, name, version, (this.sources ??= Object.freeze([this.source]) as string[]));
    } catch (err) {
      throw this.damaged(key, err);
    }
  }

  /**
   * The error for a package entry that does not decode. Index files are written atomically, so
   * this is damage from outside psr: the file is removed (closed first) and the next open of its
   * source rebuilds it.
   */
  private damaged(name: string, cause: unknown): PsrError {
    const where = this.path ?? 'an in-memory index';
    if (this.path !== undefined) {
      this.close();
      rmSync(this.path, { force: true });
    }
    return new PsrError(OSV_INDEX_DAMAGED, `compiled advisory index ${where} is damaged (entry of ${name}: ${(cause as Error).message})`, {
      hint: 'it was removed; opening the advisory source again rebuilds it from the data',
      cause,
    });
  }

  /** Index of `name` in the header's sorted names, or -1. */
  private position(name: string): number {
    const at = lowerBound(this.header.names, name);
    return this.header.names[at] === name ? at : -1;
  }

  /** The text of `length` bytes at `offset` of the body, read through `window` from disk. */
  private text(offset: number, length: number, window: ReadWindow): string {
    const { bytes, start, end } = this.bytes(offset, length, window);
    return bytes.toString('latin1', start, end);
  }

  /**
   * Where the `length` bytes at `offset` of the body are in memory: in the body of an in-memory
   * index, else in `window`, read from disk when they are not there yet (valid until its next read).
   */
  private bytes(offset: number, length: number, window: ReadWindow): { bytes: Buffer; start: number; end: number } {
    if (this.body) return { bytes: this.body, start: offset, end: offset + length };
    if (this.fd < 0) throw new Error('index file is closed');
    const start = this.bodyStart + offset;
    if (start < window.start || start + length > window.start + window.length) {
      // One buffer per region for every read: the whole file is never held, and pages of it
      // far from the packages the project pins are never read.
      const bytes = (window.bytes ??= Buffer.allocUnsafe(Math.max(this.longest, READ_AHEAD_BYTES)));
      const want = Math.min(bytes.length, this.fileSize - start);
      readFully(this.fd, bytes, want, start);
      window.start = start;
      window.length = want;
    }
    const at = start - window.start;
    return { bytes: window.bytes!, start: at, end: at + length };
  }
}
