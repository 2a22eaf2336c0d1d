/**
 * The parsed YAML document with source positions: turns a path such as
 * `['tasks', 'build', 'needs', 0]` back into `file:line:col`.
 */
import { Composer, Document, isMap, isPair, isScalar, isSeq, LineCounter, Parser, YAMLParseError, type CST, type Node, type Pair, type YAMLMap } from 'yaml';
import { ErrorCodes, type Diagnostic, type SourceLocation } from '../errors.js';
import { parseSimpleYaml } from './simple-yaml.js';

/** YAML 1.2 keeps `on`/`yes` strings; `merge`: YAML merge keys (`<<: *defaults`) are common in CI files. */
const YAML_OPTIONS = { version: '1.2', merge: true } as const;

export type PathSegment = string | number;

/**
 * How deeply lists and mappings may nest. yaml's composer and psr's own walks recurse once per
 * level and overflow the stack at a few thousand levels; a workflow needs a handful, and data
 * under `with:` a few dozen.
 */
export const MAX_NESTING_DEPTH = 256;

/** The problem of a document nested deeper than {@link MAX_NESTING_DEPTH}. */
export function tooDeepProblem(location: SourceLocation): Diagnostic {
  return {
    code: ErrorCodes.YAML_SYNTAX,
    message: `the YAML is nested too deeply to read: more than ${MAX_NESTING_DEPTH} levels of lists and mappings`,
    hint: `psr reads lists and mappings nested at most ${MAX_NESTING_DEPTH} deep; flatten the data, and check for stray \`[\` or \`{\``,
    location,
  };
}

/** A workflow's YAML, parsed, with a way back from paths to positions. */
export class WorkflowDocument {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;

  private constructor(file: string, text: string, doc: Document.Parsed, lineCounter: LineCounter) {
    this.file = file;
    this.text = text;
    this.doc = doc;
    this.lineCounter = lineCounter;
  }

  /**
   * Parse `text`. Returns the document and every YAML syntax problem (all of them, not the
   * first); duplicate mapping keys count as problems.
   */
  static parse(text: string, file: string): { document: WorkflowDocument; problems: Diagnostic[] } {
    const lineCounter = new LineCounter();
    // Most workflows are plain block YAML: the subset parser reads them several times faster
    // than yaml's full parser (the largest part of a cold `psr validate`), with the same nodes.
    const simpleDoc = new Document(null, YAML_OPTIONS) as Document.Parsed;
    const simple = parseSimpleYaml(text, simpleDoc, MAX_NESTING_DEPTH);
    if (simple?.range) {
      simpleDoc.contents = simple as Document.Parsed['contents'];
      simpleDoc.range = [simple.range[0], simple.range[1], text.length];
      lineCounter.addNewLine(0);
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
      return { document: new WorkflowDocument(file, text, simpleDoc, lineCounter), problems: [] };
    }
    // `uniqueKeys: false`: yaml compares each key with every earlier one (quadratic in a
    // 200-task `tasks:` map); duplicateKeyOffsets finds the same keys with one Set per mapping.
    // parseDocument, in its two steps: yaml's parser is iterative, its composer recursive, so
    // the depth is checked on the parser's tokens before the composer can overflow the stack.
    const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
    const deepAt = tooDeepOffset(tokens);
    if (deepAt !== undefined) {
      const document = new WorkflowDocument(file, text, new Document(null, YAML_OPTIONS) as Document.Parsed, lineCounter);
      return { document, problems: [tooDeepProblem(document.locationAt(deepAt, deepAt + 1))] };
    }
    const doc = composeOne(tokens, text.length);
    const document = new WorkflowDocument(file, text, doc, lineCounter);
    // Duplicate task ids are reported by the uniqueIds rule (with their own code), so the
    // YAML stage skips duplicate keys directly under `tasks:`.
    const taskKeyOffsets = new Set<number>();
    const tasks = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'tasks')?.value : undefined;
    if (isMap(tasks)) for (const p of tasks.items) if (isScalar(p.key) && p.key.range) taskKeyOffsets.add(p.key.range[0]);
    const duplicates = duplicateKeyOffsets(doc.contents)
      .filter((offset) => !taskKeyOffsets.has(offset))
      .map((offset) => ({ code: 'DUPLICATE_KEY', message: '', pos: [offset, offset + 1] as const }));
    const problems: Diagnostic[] = [...doc.errors, ...duplicates].map((e) => ({
      code: ErrorCodes.YAML_SYNTAX,
      message:
        e.code === 'DUPLICATE_KEY'
          ? `duplicate key: ${duplicateKeyName(text, e.pos[0])}`
          : e.code === 'MULTIPLE_DOCS'
            ? 'the file holds more than one YAML document'
            : yamlMessage(e.message),
      hint: e.code === 'DUPLICATE_KEY' ? 'each key may appear once in a mapping; merge or rename the duplicates' : yamlHint(e.code, e.message),
      location: document.locationAt(e.pos[0], e.pos[1]),
    }));
    return { document, problems };
  }

  /** Position of a source offset (0-based) as a 1-based location. */
  locationAt(start: number, end?: number): SourceLocation {
    const s = this.lineCounter.linePos(Math.max(0, Math.min(start, this.text.length)));
    const loc: SourceLocation = { file: this.file, line: s.line, col: s.col };
    if (end !== undefined && end > start) {
      const e = this.lineCounter.linePos(Math.min(end, this.text.length));
      loc.endLine = e.line;
      loc.endCol = e.col;
    }
    return loc;
  }

  /** The node at `path` (or undefined). */
  nodeAt(path: readonly PathSegment[]): Node | undefined {
    const found = this.#walk(path);
    return found.complete ? found.node : undefined;
  }

  /** True when `path` is written in the document (even with an empty value). */
  has(path: readonly PathSegment[]): boolean {
    return this.#walk(path).complete;
  }

  /**
   * Where `path` is written. `key` points at the mapping key (`needs:`), `value` at its value.
   * When the path does not exist (a missing key), the nearest existing parent is used.
   */
  locate(path: readonly PathSegment[], at: 'key' | 'value' = 'value'): SourceLocation | undefined {
    const { node, pair, complete } = this.#walk(path);
    const target = complete && at === 'key' && pair && isNodeLike(pair.key) ? pair.key : (node ?? (pair && isNodeLike(pair.key) ? pair.key : undefined));
    const range = target?.range ?? this.doc.contents?.range;
    if (!range) return { file: this.file, line: 1, col: 1 };
    return this.locationAt(range[0], range[1]);
  }

  /** The source offset range of the node at `path`. */
  rangeOf(path: readonly PathSegment[]): [number, number] | undefined {
    const r = this.nodeAt(path)?.range;
    return r ? [r[0], r[1]] : undefined;
  }

  /**
   * The text of the plain scalar at `path` exactly as written (`3.10`, where the value is the
   * number 3.1), or undefined for anything else (quoted, multi-line, an alias, a tag, a mapping).
   * Hints that say "quote it" quote this text: quoting the parsed value would change it.
   */
  plainScalarText(path: readonly PathSegment[]): string | undefined {
    const node = this.nodeAt(path);
    if (!node || !isScalar(node) || node.type !== 'PLAIN' || !node.range) return undefined;
    const text = this.text.slice(node.range[0], node.range[1]);
    return /^[^\s*&!'"#][^\n]*$/.test(text) && text.length <= 40 ? text.trimEnd() : undefined;
  }

  /** Each mapping's pairs by key, built on first use: a 500-task workflow locates every task. */
  readonly #pairsByKey = new WeakMap<object, Map<string, Pair>>();

  #pairsOf(map: YAMLMap): Map<string, Pair> {
    let pairs = this.#pairsByKey.get(map);
    if (!pairs) {
      pairs = new Map();
      // The last of duplicate keys wins in the parsed value, so positions follow it too.
      for (const p of map.items) {
        const key = isPair(p) ? keyText(p.key) : undefined;
        if (key !== undefined) pairs.set(key, p as Pair);
      }
      this.#pairsByKey.set(map, pairs);
    }
    return pairs;
  }

  #walk(path: readonly PathSegment[]): { node: Node | undefined; pair: Pair | undefined; complete: boolean } {
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const found = this.#pairsOf(node).get(String(seg));
        if (!found) return { node: node as Node, pair, complete: false };
        pair = found;
        node = found.value ?? undefined;
        if (node === undefined || node === null) return { node: undefined, pair, complete: true };
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) return { node: node as Node, pair, complete: false };
        pair = undefined;
        node = item;
      } else {
        return { node: isNodeLike(node) ? node : undefined, pair, complete: false };
      }
    }
    return { node: isNodeLike(node) ? node : undefined, pair, complete: true };
  }
}

/** `parseDocument`'s composing half: the first document of `tokens`, with an error for any further one. */
function composeOne(tokens: readonly CST.Token[], length: number): Document.Parsed {
  const composer = new Composer({ ...YAML_OPTIONS, prettyErrors: false, uniqueKeys: false, strict: true });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  // compose(…, forceDoc = true) always yields a document.
  return doc!;
}

/**
 * The source offset of the first collection nested deeper than {@link MAX_NESTING_DEPTH} in
 * yaml's syntax tokens, or undefined. Iterative, like the parser that made the tokens.
 */
function tooDeepOffset(tokens: readonly CST.Token[]): number | undefined {
  const pending: Array<[CST.Token, number]> = tokens.map((t) => [t, 0]);
  while (pending.length > 0) {
    const [token, depth] = pending.pop()!;
    if (token.type === 'document') {
      if (token.value) pending.push([token.value, depth]);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_NESTING_DEPTH) return token.offset;
      for (const item of token.items) {
        if ('key' in item && item.key) pending.push([item.key, depth + 1]);
        if (item.value) pending.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * Source offsets of mapping keys that repeat an earlier key of the same mapping (scalar keys
 * with equal values, as yaml's own `uniqueKeys` check). Iterative: documents may nest deeply.
 */
function duplicateKeyOffsets(root: unknown): number[] {
  const offsets: number[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          if (seen.has(key.value) && key.range) offsets.push(key.range[0]);
          seen.add(key.value);
        } else pending.push(key);
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
  return offsets.sort((a, b) => a - b);
}

function isNodeLike(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && 'range' in v;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function duplicateKeyName(text: string, offset: number): string {
  const m = /^[^\s:]+|^"[^"]*"|^'[^']*'/.exec(text.slice(offset, offset + 200));
  return m ? m[0] : '(key)';
}

/** The yaml package appends a code frame to its messages; psr shows its own location. */
function yamlMessage(message: string): string {
  if (message.includes('Maximum call stack size exceeded')) return 'the YAML is nested too deeply to read';
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(code: string, message: string): string {
  // yaml reports an unclosed quote where the text ends, far from the quote that opened it.
  if (code === 'MISSING_CHAR' && /quote/i.test(message)) return 'a quoted string runs on to here: close the quote (" or \') it was opened with, on the line of its key';
  switch (code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation: nested keys must be indented more than their parent, with spaces (not tabs)';
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs';
    case 'MULTIPLE_DOCS':
      return 'a workflow file holds one YAML document; remove the extra `---`';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a key must fit on one line and be followed by `:`; quote values that contain `: `';
    default:
      return 'fix the YAML syntax; quote strings that contain `: `, `#`, `{` or start with `*`, `&`, `!`, `@`';
  }
}
