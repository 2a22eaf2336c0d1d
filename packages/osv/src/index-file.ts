/**
 * The on-disk index of one ecosystem of one data snapshot. Layout, all ASCII:
 * - a header, one line of JSON: `{format, ecosystem, source, count, longest, firstNames,
 *   blockEnds, bodyLength}`;
 * - the directory: the sorted package names in blocks of up to {@link NAMES_PER_BLOCK}, each
 *   block the JSON text `{names, packages, tables}` (for each name the offset and length of its
 *   advisories and of its match table in the body), back to back; `firstNames` and `blockEnds`
 *   say where each block starts and ends;
 * - the body: for each package a JSON array of {@link IndexedAdvisory} without its `source`
 *   (the header names it once for the whole file; offsets in bytes), then for each package that
 *   has one its match table (match-table.ts, stored as stored-match-table.ts describes), which
 *   answers a scan without evaluating a single range.
 *
 * Opening a file reads and parses the header only; a package is found by a binary search over
 * the blocks' first names, then within its block (read and parsed when first needed), and its
 * bytes are read (positional reads through a read-ahead window) and decoded when asked for, so a
 * scan touches only the packages its project pins. One header of every name had cost each scan
 * of an npm project ~0.3 s with 135,000 npm package names (osv.dev-sized), parsed whole each time.
 * The file is pure ASCII (other characters are written as JSON `\u` escapes), so a package's bytes
 * become a string by a plain copy (Latin-1), with no UTF-8 decoding. Range events carry their
 * PEP 440 sort keys, so a scan parses only the versions it was given.
 */import { closeSync, fstatSync, openSync, readSync, rmSync } from 'node:fs';
import { PsrError } from '@psr/core/errors';
import { asciiJson } from './ascii-json.js';
import type { IndexedAdvisory } from './compiled-advisory.js';
import type { PackageMatch } from './match.js';
import { answerFromTable, buildMatchTable, hasMatchTables } from './match-table.js';
import { lowerBound } from './sorted-strings.js';
import { encodeMatchTable, StoredMatchTable } from './stored-match-table.js';
import type { Ecosystem } from './version-scheme.js';

/**
 * Error code: a compiled index file in the cache is damaged (edited by hand, a disk fault). The
 * file is removed when this is thrown, so opening the source again rebuilds it from the data.
 */
export const OSV_INDEX_DAMAGED = 'PSR_OSV_INDEX_DAMAGED';

/** Bumped whenever the compiled form or matching inputs change; old indexes are rebuilt. */
export const INDEX_FORMAT = 17;

/** Package names per directory block: a scan parses the blocks of the names it looks up. */
const NAMES_PER_BLOCK = 128;

interface IndexHeader {
  format: number;
  ecosystem: Ecosystem;
  /** The data source every advisory of the file comes from. */
  source: string;
  /** Number of packages. */
  count: number;
  /** Bytes of the largest package entry (advisories or match table): a read buffer's least size. */
  longest: number;
  /** The first name of each directory block, in order. */
  firstNames: string[];
  /** Where each directory block ends, counted from the directory's start; each starts where the one before ends. */
  blockEnds: number[];
  /** Bytes of the body. */
  bodyLength: number;
}

/** One block of the directory: names in code-unit order, and their entries in the body. */
interface DirectoryBlock {
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
   * match tables. A table is worked out from the advisories read back from their text. Call it
   * once: it hands the builder's text over to the file.
   */
  encode(): Buffer {
    const names = [...this.packages.keys()].sort();
    // Flat arrays of numbers: a JSON object with a key per package costs several times as much to parse.
    const packages: number[] = [];
    const tables: number[] = [];
    const chunks: string[] = [];
    let offset = 0;
    let longest = 0;
    for (const name of names) {
      // The same text as JSON.stringify of the array. Each package's list is dropped once joined,
      // so the advisories' text is held once, not twice, at the peak of a large build.
      const chunk = `[${this.packages.get(name)!.join(',')}]`;
      this.packages.delete(name);
      packages.push(offset, chunk.length);
      chunks.push(chunk);
      offset += chunk.length;
      longest = Math.max(longest, chunk.length);
    }
    // Only PyPI packages get match tables (see buildMatchTable): other ecosystems' advisories are
    // not read back (150,000 generated npm records had been parsed again for nothing: 0.1–0.2 s of ~4).
    const tabled = hasMatchTables(this.ecosystem);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (!tabled) {
        tables.push(-1, 0);
        continue;
      }
      const advisories = JSON.parse(chunks[i]!) as IndexedAdvisory[];
      for (const a of advisories) a.source = this.source;
      const table = buildMatchTable(advisories, this.ecosystem, name);
      if (table === undefined) {
        tables.push(-1, 0);
        continue;
      }
      const chunk = encodeMatchTable(table);
      tables.push(offset, chunk.length);
      chunks.push(chunk);
      offset += chunk.length;
      longest = Math.max(longest, chunk.length);
    }
    const blocks: string[] = [];
    const header: IndexHeader = { format: INDEX_FORMAT, ecosystem: this.ecosystem, source: this.source, count: names.length, longest, firstNames: [], blockEnds: [], bodyLength: offset };
    let directoryLength = 0;
    for (let first = 0; first < names.length; first += NAMES_PER_BLOCK) {
      const last = Math.min(first + NAMES_PER_BLOCK, names.length);
      const block: DirectoryBlock = { names: names.slice(first, last), packages: packages.slice(2 * first, 2 * last), tables: tables.slice(2 * first, 2 * last) };
      const text = asciiJson(block);
      blocks.push(text);
      header.firstNames.push(names[first]!);
      header.blockEnds.push((directoryLength += text.length));
    }
    // Written piece by piece into one buffer: joining the pieces first would hold the whole body
    // twice more (a string and its copy) at the peak of an index build.
    const head = `${asciiJson(header)}\n`;
    const bytes = Buffer.allocUnsafe(head.length + directoryLength + offset);
    let at = bytes.write(head, 0, 'latin1');
    for (const text of blocks) at += bytes.write(text, at, 'latin1');
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

/**
 * Checks a parsed header against the bytes after it (`rest`: the directory and the body); returns
 * the directory's length. Blocks are checked as they are read ({@link checkBlock}).
 */
function checkHeader(header: IndexHeader, rest: number): number {
  if (header.format !== INDEX_FORMAT) throw new Error(`index format ${header.format}, expected ${INDEX_FORMAT}`);
  const { firstNames, blockEnds, count, longest, bodyLength } = header;
  if (!Array.isArray(firstNames) || !Array.isArray(blockEnds) || firstNames.length !== blockEnds.length || firstNames.length !== Math.ceil(count / NAMES_PER_BLOCK))
    throw new Error('index header does not describe its directory');
  if (!Number.isInteger(longest) || !Number.isInteger(bodyLength) || longest < 0 || bodyLength < 0) throw new Error('index header has no body sizes');
  for (let i = 1; i < firstNames.length; i++) {
    if (!(firstNames[i - 1]! < firstNames[i]!)) throw new Error('index header names are not sorted');
    if (!(blockEnds[i - 1]! < blockEnds[i]!)) throw new Error('index directory blocks overlap');
  }
  const directory = blockEnds.at(-1) ?? 0;
  if (directory + bodyLength !== rest) throw new Error(`index file holds ${rest} bytes after its header, the header describes ${directory + bodyLength}`);
  return directory;
}

/** Checks directory block `b` as parsed against the header; throws when it does not fit. */
function checkBlock(block: DirectoryBlock, b: number, header: IndexHeader): void {
  const n = Array.isArray(block.names) ? block.names.length : -1;
  const expected = Math.min(NAMES_PER_BLOCK, header.count - b * NAMES_PER_BLOCK);
  if (n !== expected || !Array.isArray(block.packages) || !Array.isArray(block.tables) || block.packages.length !== 2 * n || block.tables.length !== 2 * n)
    throw new Error(`directory block ${b} does not describe its packages`);
  if (block.names[0] !== header.firstNames[b]) throw new Error(`directory block ${b} does not start with ${header.firstNames[b]}`);
  const next = header.firstNames[b + 1];
  for (let i = 1; i < n; i++) if (!(block.names[i - 1]! < block.names[i]!)) throw new Error(`directory block ${b} names are not sorted`);
  if (next !== undefined && !(block.names[n - 1]! < next)) throw new Error(`directory block ${b} runs into the next`);
  for (const slots of [block.packages, block.tables])
    for (let i = 0; i < slots.length; i += 2) {
      const offset = slots[i]!;
      const length = slots[i + 1]!;
      if (offset === -1 && length === 0 && slots === block.tables) continue;
      if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || length > header.longest || offset + length > header.bodyLength)
        throw new Error(`directory block ${b} points outside the body`);
    }
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
  /** The whole file of an in-memory index; undefined when it is read from `fd`. */
  private readonly file: Buffer | undefined;
  /** The open index file (-1: in memory, or closed). */
  private fd: number;
  /** Where the directory and the body start in the file. */
  private readonly directoryStart: number;
  private readonly bodyStart: number;
  /** Size of the file. */
  private readonly fileSize: number;
  /**
   * The bytes read last from each region: the directory, the advisories and the match tables. A
   * scan reads tables in name order and falls back to a package's advisories now and then; with
   * one window for both regions, each fallback and the table after it re-read a whole window
   * (the 700-pin PyPA scan read 11.6 MB of a 3.6 MB file, in 40 reads).
   */
  private readonly directoryWindow: ReadWindow = { bytes: undefined, start: 0, length: 0 };
  private readonly advisoryWindow: ReadWindow = { bytes: undefined, start: 0, length: 0 };
  private readonly tableWindow: ReadWindow = { bytes: undefined, start: 0, length: 0 };
  /** The directory block parsed last, and its number: a scan looks names up in order. */
  private block: DirectoryBlock | undefined;
  private blockNumber = -1;
  /** `[source]`, shared by every group answered from this file's tables. */
  private sources: string[] | undefined;

  /** The file on disk ({@link read}); undefined in memory. */
  private readonly path: string | undefined;

  private constructor(header: IndexHeader, headerEnd: number, source: { file: Buffer } | { fd: number; fileSize: number; path: string }) {
    this.header = header;
    this.path = 'path' in source ? source.path : undefined;
    this.ecosystem = header.ecosystem;
    this.source = header.source;
    this.file = 'file' in source ? source.file : undefined;
    this.fd = 'fd' in source ? source.fd : -1;
    this.fileSize = 'file' in source ? source.file.length : source.fileSize;
    this.directoryStart = headerEnd + 1;
    this.bodyStart = this.directoryStart + checkHeader(header, this.fileSize - this.directoryStart);
  }

  /** Parse index bytes; throws when they are not a current-format index. */
  static decode(bytes: Buffer): IndexFile {
    const nl = bytes.indexOf(10);
    if (nl < 0) throw new Error('index file has no header');
    // Latin-1 maps each byte to one character: for an ASCII file, exactly its text.
    const header = JSON.parse(bytes.toString('latin1', 0, nl)) as IndexHeader;
    return new IndexFile(header, nl, { file: bytes });
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
      return new IndexFile(header, nl, { fd, fileSize: size, path });
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
    return this.header.count;
  }

  /** Indexed (normalised) package names, in code-unit order (reads every directory block). */
  packageNames(): string[] {
    const names: string[] = [];
    for (let b = 0; b < this.header.firstNames.length; b++) names.push(...this.directoryBlock(b, '').names);
    return names;
  }

  /** True when the file holds advisories for this normalised package name. */
  has(name: string): boolean {
    return this.locate(name) >= 0;
  }

  /**
   * Advisories for one normalised package name (empty when none), freshly decoded. Not cached:
   * a scan asks once per package and keeps only what its findings need, so the decoded objects
   * die young instead of being copied into the old generation by every collection.
   */
  advisoriesFor(name: string): IndexedAdvisory[] {
    const at = this.locate(name);
    if (at < 0) return [];
    const { packages } = this.block!;
    const text = this.text(this.bodyStart + packages[2 * at]!, packages[2 * at + 1]!, this.advisoryWindow);
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
    const at = this.locate(key);
    if (at < 0) return undefined;
    const { tables } = this.block!;
    if (tables[2 * at]! < 0) return undefined;
    const { bytes, start, end } = this.bytes(this.bodyStart + tables[2 * at]!, tables[2 * at + 1]!, this.tableWindow);
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

  /**
   * Position of `name` in its directory block, which becomes {@link block}; -1 when the file does
   * not hold it.
   */
  private locate(name: string): number {
    const { firstNames } = this.header;
    let b = lowerBound(firstNames, name);
    if (firstNames[b] !== name) b--;
    if (b < 0) return -1;
    const { names } = this.directoryBlock(b, name);
    const at = lowerBound(names, name);
    return names[at] === name ? at : -1;
  }

  /** Directory block `b`, read and checked when it is not the one parsed last (`name`: what was looked up, for errors). */
  private directoryBlock(b: number, name: string): DirectoryBlock {
    if (this.blockNumber === b) return this.block!;
    const start = b === 0 ? 0 : this.header.blockEnds[b - 1]!;
    try {
      const block = JSON.parse(this.text(this.directoryStart + start, this.header.blockEnds[b]! - start, this.directoryWindow)) as DirectoryBlock;
      checkBlock(block, b, this.header);
      this.block = block;
      this.blockNumber = b;
      return block;
    } catch (err) {
      throw this.damaged(name || `directory block ${b}`, err);
    }
  }

  /** The text of the `length` bytes at `position` in the file, read through `window` from disk (throws past its end). */
  private text(position: number, length: number, window: ReadWindow): string {
    const { bytes, start, end } = this.bytes(position, length, window);
    return bytes.toString('latin1', start, end);
  }

  /**
   * Where the `length` bytes at `position` of the file are in memory: in an in-memory index's
   * bytes, else in `window`, read from disk when they are not there yet (valid until its next read).
   */
  private bytes(position: number, length: number, window: ReadWindow): { bytes: Buffer; start: number; end: number } {
    if (this.file) return { bytes: this.file, start: position, end: position + length };
    if (this.fd < 0) throw new Error('index file is closed');
    if (position < window.start || position + length > window.start + window.length) {
      // One buffer per region for every read: the whole file is never held, and pages of it
      // far from the packages the project pins are never read.
      if (window.bytes === undefined || window.bytes.length < length) window.bytes = Buffer.allocUnsafe(Math.max(length, this.header.longest, READ_AHEAD_BYTES));
      const bytes = window.bytes;
      const want = Math.min(bytes.length, this.fileSize - position);
      readFully(this.fd, bytes, want, position);
      window.start = position;
      window.length = want;
    }
    const at = position - window.start;
    return { bytes: window.bytes!, start: at, end: at + length };
  }
}
