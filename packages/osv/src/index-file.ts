/**
 * The on-disk index of one ecosystem of one data snapshot. Layout: one line of JSON header
 * (`{format, ecosystem, source, packages: {name: [offset, length]}}`), a newline, then the body:
 * for each package a JSON array of {@link IndexedAdvisory} without its `source` (the header
 * names it once for the whole file; offsets in bytes). Loading reads the file and parses the
 * small header only; a package's bytes are decoded when asked for. The file is pure ASCII
 * (other characters are written as JSON `\u` escapes), so a package's bytes become a string by
 * a plain copy (Latin-1), with no UTF-8 decoding. Range events carry their PEP 440 sort keys,
 * so a scan parses only the versions it was given.
 */
import { readFileSync } from 'node:fs';
import type { IndexedAdvisory } from './compiled-advisory.js';
import type { Ecosystem } from './version-scheme.js';

/** Bumped whenever the compiled form or matching inputs change; old indexes are rebuilt. */
export const INDEX_FORMAT = 9;

interface IndexHeader {
  format: number;
  ecosystem: Ecosystem;
  /** The data source every advisory of the file comes from. */
  source: string;
  packages: Record<string, [number, number]>;
}

/** An advisory as the body stores it: its source is the header's. */
type StoredAdvisory = Omit<IndexedAdvisory, 'source'>;

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
  const header: IndexHeader = { format: INDEX_FORMAT, ecosystem, source, packages: {} };
  const chunks: string[] = [];
  let offset = 0;
  for (const name of [...packages.keys()].sort()) {
    const chunk = asciiJson(packages.get(name)!.map((a) => storedAdvisory(a, source)));
    header.packages[name] = [offset, chunk.length];
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

/** `advisory` without its source, fields in the index's order. */
function storedAdvisory(advisory: IndexedAdvisory, source: string): StoredAdvisory {
  if (advisory.source !== source) throw new Error(`advisory ${advisory.id} comes from ${advisory.source}, the index holds ${source}`);
  const { source: _source, ...stored } = advisory;
  return stored;
}

/** JSON with every non-ASCII character escaped (`\u00e9`): JSON.parse reads back the same string. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One loaded index file; a package's advisories are decoded each time they are asked for.
 *
 * @example
 * ```ts
 * const file = IndexFile.read('/cache/osv-index/ab12/PyPI.idx');
 * file.advisoriesFor('django').length;
 * ```
 */
export class IndexFile {
  readonly ecosystem: Ecosystem;
  /** The data source of every advisory in the file. */
  readonly source: string;
  private readonly header: IndexHeader;
  private readonly body: Buffer;

  private constructor(header: IndexHeader, body: Buffer) {
    this.header = header;
    this.body = body;
    this.ecosystem = header.ecosystem;
    this.source = header.source;
  }

  /** Parse index bytes; throws when they are not a current-format index. */
  static decode(bytes: Buffer): IndexFile {
    const nl = bytes.indexOf(10);
    if (nl < 0) throw new Error('index file has no header');
    // Latin-1 maps each byte to one character: for an ASCII file, exactly its text.
    const header = JSON.parse(bytes.toString('latin1', 0, nl)) as IndexHeader;
    if (header.format !== INDEX_FORMAT) throw new Error(`index format ${header.format}, expected ${INDEX_FORMAT}`);
    const body = bytes.subarray(nl + 1);
    let end = 0;
    for (const name in header.packages) end = Math.max(end, header.packages[name]![0] + header.packages[name]![1]);
    if (end !== body.length) throw new Error(`index body holds ${body.length} bytes, the header describes ${end}`);
    return new IndexFile(header, body);
  }

  /** Read and parse an index file. */
  static read(path: string): IndexFile {
    return IndexFile.decode(readFileSync(path));
  }

  /** Number of packages with advisories. */
  get packageCount(): number {
    return Object.keys(this.header.packages).length;
  }

  /** Indexed (normalised) package names. */
  packageNames(): string[] {
    return Object.keys(this.header.packages);
  }

  /**
   * Advisories for one normalised package name (empty when none), freshly decoded. Not cached:
   * a scan asks once per package and keeps only what its findings need, so the decoded objects
   * die young instead of being copied into the old generation by every collection.
   */
  advisoriesFor(name: string): IndexedAdvisory[] {
    const slot = Object.hasOwn(this.header.packages, name) ? this.header.packages[name] : undefined;
    if (!slot) return [];
    const advisories = JSON.parse(this.body.toString('latin1', slot[0], slot[0] + slot[1])) as IndexedAdvisory[];
    for (let i = 0; i < advisories.length; i++) advisories[i]!.source = this.source;
    return advisories;
  }
}
