import { basename } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { lockfileParseError } from './errors.js';

/** Parse TOML, turning a syntax error into `PSR_LOCKFILE_PARSE` at the parser's `file:line:col`. */
export function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0] ?? 'invalid TOML';
      throw lockfileParseError(`invalid TOML in ${basename(file)}: ${first.replace(/^Invalid TOML document: /, '')}`, { file, line: err.line, col: err.column }, undefined, err);
    }
    throw err;
  }
}

/**
 * Finds where things are written in TOML text (smol-toml gives values, not positions).
 * Searches are plain text scans anchored at table headers, so they stay cheap on big locks.
 */
export class TomlLocator {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** 1-based line of a character offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offsets of every `[[name]]` array-of-tables header, in order (the n-th is the n-th element). */
  arrayTableOffsets(name: string): number[] {
    const re = new RegExp(`^[ \\t]*\\[\\[[ \\t]*${escapeRe(name)}[ \\t]*\\]\\]`, 'gm');
    return [...this.text.matchAll(re)].map((m) => m.index);
  }

  /** Offset of a `[a.b]` table header (dotted parts may be quoted), or -1. */
  tableOffset(path: string[], from = 0): number {
    const parts = path.map((p) => `(?:${escapeRe(p)}|"${escapeRe(p)}"|'${escapeRe(p)}')`).join('[ \\t]*\\.[ \\t]*');
    const re = new RegExp(`^[ \\t]*\\[[ \\t]*${parts}[ \\t]*\\]`, 'gm');
    re.lastIndex = from;
    const m = re.exec(this.text);
    return m ? m.index : -1;
  }

  /** Offset of a `key =` assignment at or after `from` (before the next table header), or -1. */
  keyOffset(key: string, from: number): number {
    const re = new RegExp(`^[ \\t]*(?:${escapeRe(key)}|"${escapeRe(key)}"|'${escapeRe(key)}')[ \\t]*=|^[ \\t]*\\[`, 'gm');
    re.lastIndex = from;
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      if (m.index === from && m[0].trimStart().startsWith('[')) continue; // the header we start at
      if (m[0].trimStart().startsWith('[')) {
        // Array values like `dependencies = [` start with `[` only after `=`, so this is a header.
        return -1;
      }
      return m.index;
    }
    return -1;
  }

  /** Offset of the quoted string `value` at or after `from`, or -1. */
  stringOffset(value: string, from: number): number {
    for (const q of ['"', "'"]) {
      const i = this.text.indexOf(`${q}${value}${q}`, from);
      if (i !== -1) return i;
    }
    return -1;
  }

  /** Column (1-based) of an offset. */
  colAt(offset: number): number {
    return offset - this.lineStarts[this.lineAt(offset) - 1]! + 1;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

