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
 * The table's text is decoded in one piece and fragments are parsed from slices of it: one
 * Latin-1 decode of a whole table costs less than a decode per fragment (a native call each,
 * and a scan makes thousands: 2,190 groups for 700 pins).
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

/**
 * A match table read from its stored text: the head is parsed at once, each answer and group
 * when asked for.
 *
 * @example
 * ```ts
 * const table = StoredMatchTable.read(encodeMatchTable(built));
 * answerFromTable(table, 'PyPI', 'jinja2', '2.10', ['pypa-advisory-db']);
 * ```
 */
export class StoredMatchTable implements MatchTableReader {
  readonly bounds: readonly string[];
  readonly segments: readonly number[];
  private readonly text: string;
  private readonly answerEnds: readonly number[];
  private readonly groupEnds: readonly number[];
  /** Where the fragments start in `text`. */
  private readonly fragmentsStart: number;

  private constructor(text: string, head: TableHead, fragmentsStart: number) {
    this.text = text;
    this.bounds = head.bounds;
    this.segments = head.segments;
    this.answerEnds = head.answerEnds;
    this.groupEnds = head.groupEnds;
    this.fragmentsStart = fragmentsStart;
  }

  /** Parse the head of a stored table (exactly its text); throws when it is not one. */
  static read(text: string): StoredMatchTable {
    const nl = text.indexOf('\n');
    if (nl < 0) throw new Error('match table has no head');
    const head = JSON.parse(text.slice(0, nl)) as TableHead;
    const fragments = text.length - nl - 1;
    const last = head.groupEnds.at(-1) ?? head.answerEnds.at(-1) ?? 0;
    if (last !== fragments) throw new Error(`match table holds ${fragments} bytes of answers and groups, its head describes ${last}`);
    return new StoredMatchTable(text, head, nl + 1);
  }

  answer(at: number): TableAnswer {
    return this.parse(at === 0 ? 0 : this.answerEnds[at - 1]!, this.answerEnds[at]!) as TableAnswer;
  }

  group(at: number): TableGroup {
    return this.parse(at === 0 ? (this.answerEnds.at(-1) ?? 0) : this.groupEnds[at - 1]!, this.groupEnds[at]!) as TableGroup;
  }

  /** The JSON value of the fragment text from `start` to `end`. */
  private parse(start: number, end: number): unknown {
    return JSON.parse(this.text.slice(this.fragmentsStart + start, this.fragmentsStart + end));
  }
}
