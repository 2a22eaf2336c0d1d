/**
 * A fast path for the YAML most workflows are written in: block mappings and sequences,
 * one-line flow collections (`{ run: x, needs: [a] }`), plain and one-line quoted scalars,
 * comments. It builds the same nodes, values and source ranges as the `yaml` package, whose
 * full parser costs most of a cold `psr validate`; anything outside that subset (anchors, tags,
 * block scalars, multi-line scalars, empty values, duplicate keys, tabs, …) returns `undefined`, and the
 * caller falls back to `yaml` itself. A test compares both parsers on every workflow in the
 * repository and on mutated ones.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Document, type Node, type ScalarTag } from 'yaml';

/** Thrown inside the parser when the text leaves the subset; never escapes {@link parseSimpleYaml}. */
class OutsideSubset extends Error {}

/** A line that holds more than a comment: where it starts and its indentation. */
interface ContentLine {
  start: number;
  indent: number;
  /** Offset of the first non-space character. */
  content: number;
}

const PLAIN_KEY = /^[A-Za-z_][\w.-]*$/;
/** Characters that cannot start a plain scalar (or start YAML syntax psr's subset leaves to `yaml`). */
const NOT_PLAIN_START = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
/** The characters of a plain scalar in a flow collection, up to what may end it. */
const FLOW_PLAIN = /[^,\]}\n:[{#]*/y;
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r' };

/**
 * Parse `text` into `yaml` nodes when it stays in the subset; `undefined` otherwise.
 * `doc` supplies the schema that resolves plain scalars (`true`, `12`, `null`, …).
 */
export function parseSimpleYaml(text: string, doc: Document, maxDepth = Infinity): Node | undefined {
  if (/[\t\r\uFEFF]/.test(text)) return undefined;
  try {
    return new SimpleYamlParser(text, doc, maxDepth).parse();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

class SimpleYamlParser {
  readonly #text: string;
  readonly #doc: Document;
  /** Collections deeper than this are left to `yaml` (and to the caller's depth check): the parser recurses per level. */
  readonly #maxDepth: number;
  #depth = 0;

  constructor(text: string, doc: Document, maxDepth: number) {
    this.#text = text;
    this.#doc = doc;
    this.#maxDepth = maxDepth;
  }

  /** Enter a nested collection; leave with `this.#depth--`. */
  #enter(): void {
    if (++this.#depth > this.#maxDepth) throw new OutsideSubset();
  }

  parse(): Node {
    const first = this.#contentLine(0);
    if (!first || first.indent !== 0) throw new OutsideSubset();
    const { node, end } = this.#blockMap(first.content, 0);
    if (this.#contentLine(end)) throw new OutsideSubset();
    return node;
  }

  /** The next line at or after `from` with content, skipping blank and comment-only lines. */
  #contentLine(from: number): ContentLine | undefined {
    const text = this.#text;
    let start = from;
    while (start < text.length) {
      let p = start;
      while (text[p] === ' ') p++;
      if (p < text.length && text[p] !== '\n' && text[p] !== '#') return { start, indent: p - start, content: p };
      const eol = text.indexOf('\n', p);
      if (eol === -1) return undefined;
      start = eol + 1;
    }
    return undefined;
  }

  /**
   * Where the range of a block collection in column `indent` ends, its last item ending at
   * `end`: like yaml, it takes in the comment lines that follow and are indented more than it.
   */
  #rangeEnd(end: number, indent: number): number {
    const text = this.#text;
    let rangeEnd = end;
    for (let start = end; start < text.length; ) {
      let p = start;
      while (text[p] === ' ') p++;
      if (p < text.length && text[p] !== '\n' && text[p] !== '#') break;
      const eol = text.indexOf('\n', p);
      const lineEnd = eol === -1 ? text.length : eol + 1;
      if (text[p] === '#' && p - start > indent) rangeEnd = lineEnd;
      start = lineEnd;
    }
    return rangeEnd;
  }

  /** Offset after the rest of the line at `p` (spaces, then optionally a ` #` comment, then the newline). */
  #lineRest(p: number): number {
    const text = this.#text;
    let q = p;
    while (text[q] === ' ') q++;
    if (q < text.length && text[q] !== '\n') {
      if (text[q] !== '#' || q === p) throw new OutsideSubset();
    }
    const eol = text.indexOf('\n', q);
    return eol === -1 ? text.length : eol + 1;
  }

  /** A block mapping whose first key starts at `keyStart`, in column `indent`. */
  #blockMap(keyStart: number, indent: number): { node: YAMLMap; end: number } {
    this.#enter();
    const map = new YAMLMap(this.#doc.schema);
    const seen = new Set<string>();
    let at = keyStart;
    let end = keyStart;
    for (;;) {
      const key = this.#plainKey(at);
      const id = key.value as string;
      if (seen.has(id)) throw new OutsideSubset();
      seen.add(id);
      const { node: value, end: valueEnd } = this.#blockValue(key.range![1] + 1, indent, false);
      map.items.push(new Pair(key, value));
      end = valueEnd;
      const next = this.#contentLine(end);
      if (!next || next.indent < indent) break;
      if (next.indent > indent) throw new OutsideSubset();
      at = next.content;
    }
    const rangeEnd = this.#rangeEnd(end, indent);
    map.range = [keyStart, rangeEnd, rangeEnd];
    this.#depth--;
    return { node: map, end };
  }

  /** A block sequence whose first `-` is at `dashStart`, in column `indent`. */
  #blockSeq(dashStart: number, indent: number): { node: YAMLSeq; end: number } {
    this.#enter();
    const seq = new YAMLSeq(this.#doc.schema);
    const text = this.#text;
    let dash = dashStart;
    let end = dashStart;
    for (;;) {
      if (text[dash + 1] !== ' ') throw new OutsideSubset();
      const { node, end: itemEnd } = this.#blockValue(dash + 1, indent, true);
      seq.items.push(node);
      end = itemEnd;
      const next = this.#contentLine(end);
      // A key at the same indentation ends a sequence that is the value of a mapping key.
      if (!next || next.indent < indent || (next.indent === indent && text[next.content] !== '-')) break;
      if (next.indent > indent) throw new OutsideSubset();
      dash = next.content;
    }
    const rangeEnd = this.#rangeEnd(end, indent);
    seq.range = [dashStart, rangeEnd, rangeEnd];
    this.#depth--;
    return { node: seq, end };
  }

  /**
   * The value after a key's `:` or a sequence's `-` (at `p`, the character after it) of a
   * collection in column `indent`. Returns the node and the offset after its last line.
   */
  #blockValue(p: number, indent: number, inSeq: boolean): { node: Node; end: number } {
    const text = this.#text;
    let q = p;
    while (text[q] === ' ') q++;
    if (q < text.length && text[q] !== '\n' && (text[q] !== '#' || q === p)) {
      if (q === p) throw new OutsideSubset(); // `key:value`
      const column = q - this.#lineStart(q);
      if (inSeq && this.#startsKey(q)) return this.#blockMap(q, column);
      const node = this.#inlineValue(q);
      const end = this.#lineRest(node.range![1]);
      node.range = [node.range![0], node.range![1], end];
      // A more indented line after it would continue a multi-line scalar (or be an error).
      const next = this.#contentLine(end);
      if (next && next.indent > indent) throw new OutsideSubset();
      return { node, end };
    }
    const lineEnd = this.#lineRest(p);
    const next = this.#contentLine(lineEnd);
    if (next && (next.indent > indent || (!inSeq && next.indent === indent && text[next.content] === '-' && text[next.content + 1] === ' '))) {
      return text[next.content] === '-' ? this.#blockSeq(next.content, next.indent) : this.#blockMap(next.content, next.indent);
    }
    // An empty value (`key:` alone): yaml's ranges for it depend on the comments and blank
    // lines around it; rare in workflows, so left to yaml.
    throw new OutsideSubset();
  }

  /** A scalar or flow collection that starts at `p` and ends on the same line. */
  #inlineValue(p: number): Node {
    const c = this.#text[p]!;
    if (c === '"' || c === "'") return this.#quoted(p);
    if (c === '[' || c === '{') return this.#flow(p);
    if (!this.#canStartPlain(p)) throw new OutsideSubset();
    const text = this.#text;
    const eol = text.indexOf('\n', p);
    const lineEnd = eol === -1 ? text.length : eol;
    const comment = text.indexOf(' #', p);
    let valueEnd = comment !== -1 && comment < lineEnd ? comment : lineEnd;
    while (text[valueEnd - 1] === ' ') valueEnd--;
    const source = text.slice(p, valueEnd);
    if (source.includes(': ') || source.endsWith(':')) throw new OutsideSubset();
    return this.#plain(source, p, valueEnd);
  }

  /** A flow sequence or mapping on one line, from its `[` or `{` at `p`. */
  #flow(p: number): Node {
    this.#enter();
    const text = this.#text;
    const isMap = text[p] === '{';
    const close = isMap ? '}' : ']';
    const node = isMap ? new YAMLMap(this.#doc.schema) : new YAMLSeq(this.#doc.schema);
    node.flow = true;
    const seen = new Set<string>();
    let q = this.#skipSpaces(p + 1);
    if (text[q] === close) q++;
    else {
      for (;;) {
        if (isMap) {
          const key = this.#flowPlain(q, true);
          if (typeof key.value !== 'string' || !PLAIN_KEY.test(key.value) || seen.has(key.value)) throw new OutsideSubset();
          seen.add(key.value);
          if (text[key.range![1]] !== ':' || text[key.range![1] + 1] !== ' ') throw new OutsideSubset();
          const value = this.#flowItem(this.#skipSpaces(key.range![1] + 1));
          (node as YAMLMap).items.push(new Pair(key, value));
          q = value.range![2];
        } else {
          const item = this.#flowItem(q);
          (node as YAMLSeq).items.push(item);
          q = item.range![2];
        }
        if (text[q] === ',') {
          q = this.#skipSpaces(q + 1);
          if (text[q] === close || text[q] === ',') throw new OutsideSubset(); // trailing or empty entry
          continue;
        }
        if (text[q] !== close) throw new OutsideSubset();
        q++;
        break;
      }
    }
    node.range = [p, q, this.#skipSpaces(q)];
    this.#depth--;
    return node;
  }

  /** One entry of a flow collection at `p`; its range[2] is after the spaces that follow it. */
  #flowItem(p: number): Node {
    const c = this.#text[p];
    let node: Node;
    if (c === '"' || c === "'") node = this.#quoted(p);
    else if (c === '[' || c === '{') return this.#flow(p);
    else node = this.#flowPlain(p, false);
    node.range = [node.range![0], node.range![1], this.#skipSpaces(node.range![1])];
    return node;
  }

  /** A plain scalar inside a flow collection: up to `,`, `]`, `}` or (for keys) `:`. */
  #flowPlain(p: number, isKey: boolean): Scalar {
    const text = this.#text;
    if (!this.#canStartPlain(p)) throw new OutsideSubset();
    FLOW_PLAIN.lastIndex = p;
    const q = p + FLOW_PLAIN.exec(text)![0].length;
    const stop = text[q];
    if (stop === '[' || stop === '{' || stop === '#' || (stop === ':' && !isKey)) throw new OutsideSubset();
    let valueEnd = q;
    while (text[valueEnd - 1] === ' ') valueEnd--;
    if (valueEnd === p) throw new OutsideSubset();
    return this.#plain(text.slice(p, valueEnd), p, valueEnd);
  }

  /** A one-line single- or double-quoted scalar from its quote at `p`. */
  #quoted(p: number): Scalar {
    const text = this.#text;
    const quote = text[p]!;
    // Most quoted scalars have no escapes: one search finds the end.
    const close = text.indexOf(quote, p + 1);
    if (close === -1) throw new OutsideSubset();
    const body = text.slice(p + 1, close);
    if (body.includes('\n')) throw new OutsideSubset();
    if (!body.includes('\\') && text[close + 1] !== "'") return this.#scalar(body, p, close + 1, quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE');
    let value = '';
    let q = p + 1;
    for (;;) {
      const ch = text[q];
      if (ch === undefined || ch === '\n') throw new OutsideSubset();
      if (quote === "'" && ch === "'") {
        if (text[q + 1] === "'") {
          value += "'";
          q += 2;
          continue;
        }
        break;
      }
      if (quote === '"' && ch === '"') break;
      if (quote === '"' && ch === '\\') {
        const escaped = DOUBLE_QUOTE_ESCAPES[text[q + 1] ?? ''];
        if (escaped === undefined) throw new OutsideSubset();
        value += escaped;
        q += 2;
        continue;
      }
      value += ch;
      q++;
    }
    return this.#scalar(value, p, q + 1, quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE');
  }

  /** A plain mapping key at `p` followed by `:` (then a space or the end of the line). */
  #plainKey(p: number): Scalar {
    const text = this.#text;
    let q = p;
    while (q < text.length && text[q] !== ':' && text[q] !== '\n') q++;
    const source = text.slice(p, q);
    if (text[q] !== ':' || !PLAIN_KEY.test(source)) throw new OutsideSubset();
    const after = text[q + 1];
    if (after !== undefined && after !== ' ' && after !== '\n') throw new OutsideSubset();
    const key = this.#plain(source, p, q);
    if (typeof key.value !== 'string') throw new OutsideSubset(); // `true:`, `1:` keys are left to yaml
    key.range = [p, q, q];
    return key;
  }

  /** True when a plain key and `:` start at `p` (a compact mapping in a sequence item). */
  #startsKey(p: number): boolean {
    const m = /^[A-Za-z_][\w.-]*:(?: |\n|$)/.exec(this.#text.slice(p, p + 200));
    return m !== null;
  }

  /** A plain scalar, its value resolved by the document's schema like `yaml` does. */
  #plain(source: string, start: number, end: number): Scalar {
    let value: unknown = source;
    for (const tag of this.#doc.schema.tags) {
      if (tag.default !== true || !('test' in tag) || !tag.test?.test(source)) continue;
      const fail = (): never => {
        throw new OutsideSubset();
      };
      const resolved: unknown = (tag as ScalarTag).resolve(source, fail, this.#doc.options);
      value = resolved instanceof Scalar ? resolved.value : resolved;
      break;
    }
    return this.#scalar(value, start, end, 'PLAIN');
  }

  #scalar(value: unknown, start: number, end: number, type: Scalar.Type): Scalar {
    const scalar = new Scalar(value);
    scalar.type = type;
    scalar.range = [start, end, end];
    return scalar;
  }

  /** True when a plain scalar may start at `p` (`-1` may, `- x` and `[`, `&`, `*`, `!`, … may not). */
  #canStartPlain(p: number): boolean {
    const c = this.#text[p];
    if (c === undefined) return false;
    if (c === '-') return /[^\s,\[\]{}]/.test(this.#text[p + 1] ?? ' ');
    return !NOT_PLAIN_START.has(c);
  }

  #skipSpaces(p: number): number {
    let q = p;
    while (this.#text[q] === ' ') q++;
    return q;
  }

  #lineStart(p: number): number {
    return this.#text.lastIndexOf('\n', p - 1) + 1;
  }
}
