/**
 * How the index file stores a match table, so that a scan decodes only what one answer needs:
 * the bounds (to find the version's segment), the segment → answer list, that one answer, and
 * the groups it names. A package's table holds every answer and every group of the package
 * (PyPA's 660 tables: 2,416 answers, 0.45 MB, and 1.1 MB of groups), of which one version uses
 * one answer and the groups it names.
 *
 * Layout, ASCII text: a head line of JSON,
 * `{"bounds":[…],"segments":[…],"answerEnds":[…],"groupEnds":[…]}`, a newline, then the
 * fragments back to back: each answer's JSON text ({@link TableAnswer}), then each group's
 * ({@link TableGroup}). `answerEnds[i]` and `groupEnds[i]` are where fragment `i` ends, counted
 * from the first fragment; each fragment starts where the one before it ends. Answers and groups
 * are plain JSON, never JSON text inside a JSON string (whose escaped quotes make parsing slow).
 *
 * A small table's text is decoded in one piece and fragments are parsed from slices of it: one
 * Latin-1 decode of a whole table costs less than a decode per fragment (a native call each,
 * and a scan makes thousands: 2,190 groups for 700 pins). A large table (tensorflow's is
 * 230 KB, of which one version reads a few KB) decodes only its head and the fragments asked for:
 * decoding ten such tables in full had been a third of the text a 700-pin scan decoded, and
 * each string of more than 128 KB takes fresh memory from the system (~6 ms in all).
 */
import { asciiJson } from './ascii-json.js';
import type { MatchTable, MatchTableReader, TableAnswer, TableGroup } from './match-table.js';

/** The head line of a stored table. */
interface TableHead {
  bounds: string[];
  segments: number[];
  answerEnds: number[];
  groupEnds: number[];
}

/**
 * The stored text of a match table (ASCII: read back with Latin-1 decoding, byte offsets equal
 * string offsets).
 *
 * @example
 * ```ts
 * const text = encodeMatchTable(buildMatchTable(advisories, 'PyPI', 'jinja2')!);
 * ```
 */
export function encodeMatchTable(table: MatchTable): string {
  const fragments: string[] = [];
  let end = 0;
  const endOf = (value: unknown): number => {
    const text = asciiJson(value);
    fragments.push(text);
    return (end += text.length);
  };
  const head: TableHead = { bounds: table.bounds, segments: table.segments, answerEnds: table.answers.map(endOf), groupEnds: table.groups.map(endOf) };
  return `${asciiJson(head)}\n${fragments.join('')}`;
}

/** Larger stored tables are decoded fragment by fragment (see the top of this file). */
const WHOLE_DECODE_MAX_BYTES = 16 * 1024;

/**
 * A match table read from its stored bytes: the head is parsed at once, each answer and group
 * when asked for. A large table reads its fragments from the bytes it was given, so it must be
 * used before they change (the index file reads each package's table into a reused buffer and
 * answers from it before the next read).
 *
 * @example
 * ```ts
 * const table = StoredMatchTable.read(Buffer.from(encodeMatchTable(built), 'latin1'));
 * answerFromTable(table, 'PyPI', 'jinja2', '2.10', ['pypa-advisory-db']);
 * ```
 */
export class StoredMatchTable implements MatchTableReader {
  readonly bounds: readonly string[];
  readonly segments: readonly number[];
  /** The fragments: all of their text (small tables), or the bytes holding them. */
  private readonly fragments: string | Buffer;
  /** Where the fragments start in `fragments`. */
  private readonly fragmentsStart: number;
  private readonly answerEnds: readonly number[];
  private readonly groupEnds: readonly number[];

  private constructor(head: TableHead, fragments: string | Buffer, fragmentsStart: number) {
    this.bounds = head.bounds;
    this.segments = head.segments;
    this.answerEnds = head.answerEnds;
    this.groupEnds = head.groupEnds;
    this.fragments = fragments;
    this.fragmentsStart = fragmentsStart;
  }

  /**
   * Parse the head of the stored table in `bytes` from `start` to `end` (default: all of them);
   * throws when they do not hold one.
   */
  static read(bytes: Buffer, start = 0, end = bytes.length): StoredMatchTable {
    const nl = bytes.indexOf(10, start);
    if (nl < 0 || nl >= end) throw new Error('match table has no head');
    const head = JSON.parse(bytes.toString('latin1', start, nl)) as TableHead;
    const length = end - nl - 1;
    const last = head.groupEnds.at(-1) ?? head.answerEnds.at(-1) ?? 0;
    if (last !== length) throw new Error(`match table holds ${length} bytes of answers and groups, its head describes ${last}`);
    return end - start <= WHOLE_DECODE_MAX_BYTES ? new StoredMatchTable(head, bytes.toString('latin1', nl + 1, end), 0) : new StoredMatchTable(head, bytes, nl + 1);
  }

  answer(at: number): TableAnswer {
    return this.parse(at === 0 ? 0 : this.answerEnds[at - 1]!, this.answerEnds[at]!) as TableAnswer;
  }

  group(at: number): TableGroup {
    return this.parse(at === 0 ? (this.answerEnds.at(-1) ?? 0) : this.groupEnds[at - 1]!, this.groupEnds[at]!) as TableGroup;
  }

  /** The JSON value of the fragment text from `start` to `end`. */
  private parse(start: number, end: number): unknown {
    const from = this.fragmentsStart + start;
    const to = this.fragmentsStart + end;
    const f = this.fragments;
    return JSON.parse(typeof f === 'string' ? f.slice(from, to) : f.toString('latin1', from, to));
  }
}
