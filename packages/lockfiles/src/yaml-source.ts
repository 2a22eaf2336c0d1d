/**
 * YAML lockfiles (`pnpm-lock.yaml`, yarn berry's `yarn.lock`): values parsed by js-yaml, and the
 * lines of the keys a report points at read off the text.
 *
 * Not `yaml`'s document model, which knows the position of every node: it took 1.7 s for a
 * 15,000-package pnpm lock and 19 s and 1.4 GB for a 100,000-package one, where js-yaml parses
 * them in a tenth of that but keeps no positions. pnpm and yarn write these files in one block
 * layout — top-level keys at column 0, a section's entries indented by two spaces, one key per
 * line — so a line scan finds the keys (written by hand for that reason: no library offers key
 * lines without building the document model). A key written any other way just has no line,
 * and its dependencies point at line 1.
 */
import { basename } from 'node:path';
import { CORE_SCHEMA, load, loadAll, YAMLException } from 'js-yaml';
import { lockfileParseError } from './errors.js';

/** A parsed YAML document plus the lines of the keys of its top-level mappings. */
export interface YamlSource {
  value: unknown;
  /** Line of key `key` inside the top-level mapping `section` (e.g. `packages`). */
  keyLine(section: string, key: string): number | undefined;
  /** Line of a top-level key. */
  topKeyLine(key: string): number | undefined;
}

/**
 * Parse YAML (the core schema: `true`, `null` and numbers as YAML 1.2 reads them; a repeated key
 * keeps its last value); a syntax error becomes `PSR_LOCKFILE_PARSE` at `file:line:col`.
 * Only `sections` (top-level mapping names) get a key → line index, to keep big locks cheap.
 *
 * @example
 * ```ts
 * const src = parseYamlSource(text, 'pnpm-lock.yaml', ['packages']);
 * src.keyLine('packages', 'lodash@4.17.21'); // 1234
 * ```
 */
export function parseYamlSource(text: string, file: string, sections: readonly string[]): YamlSource {
  const value = parsed(file, () => load(text, { schema: CORE_SCHEMA, json: true, filename: file }));
  return sourceOf(value, keyLines(text, sections)[0]);
}

/**
 * {@link parseYamlSource} for a stream of YAML documents (`---` between them): one source per
 * document, in order. pnpm 11 and later write `pnpm-lock.yaml` so when they record pnpm itself
 * or config dependencies: an "env" document first, then the project's lockfile.
 *
 * @example
 * ```ts
 * const [env, project] = parseYamlDocuments(text, 'pnpm-lock.yaml', ['packages']);
 * ```
 */
export function parseYamlDocuments(text: string, file: string, sections: readonly string[]): YamlSource[] {
  const values = parsed(file, () => loadAll(text, undefined, { schema: CORE_SCHEMA, json: true, filename: file }));
  const lines = keyLines(text, sections);
  // The line scan and the parser count documents alike; should they ever not, keys go without lines.
  const aligned = lines.length === values.length;
  return values.map((value, i) => sourceOf(value, aligned ? lines[i] : undefined));
}

/** A document's value and its key lines (none known: every key without a line). */
function sourceOf(value: unknown, lines: DocumentKeyLines | undefined): YamlSource {
  return { value, keyLine: (section, key) => lines?.inSections.get(section)?.get(key), topKeyLine: (key) => lines?.top.get(key) };
}

/** The result of `parse`, with its errors as `PSR_LOCKFILE_PARSE` at `file:line:col`. */
function parsed<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof YAMLException) {
      const mark = (err as YAMLException & { mark?: { line: number; column: number } }).mark;
      throw lockfileParseError(`invalid YAML in ${basename(file)}: ${err.reason}`, { file, line: (mark?.line ?? 0) + 1, col: (mark?.column ?? 0) + 1 }, undefined, err);
    }
    // js-yaml reads nesting by recursion: a hostile file nested deeper than the stack overflows it.
    const why = err instanceof RangeError && /call stack/i.test(err.message) ? 'it is nested too deeply to read' : (err as Error).message;
    throw lockfileParseError(`invalid YAML in ${basename(file)}: ${why}`, { file, line: 1, col: 1 }, undefined, err);
  }
}

/** Key lines of one YAML document. */
interface DocumentKeyLines {
  top: Map<string, number>;
  inSections: Map<string, Map<string, number>>;
}

/**
 * For each document of the stream, the lines of its top-level keys and of the entries (keys
 * indented by two spaces) of the top-level mappings named in `sections`. A repeated key gives its
 * last line, as its last value wins. `---` starts a document, except before any content (the
 * first document may open with it); `...` ends one.
 */
function keyLines(text: string, sections: readonly string[]): DocumentKeyLines[] {
  const documents: DocumentKeyLines[] = [];
  let current: DocumentKeyLines | undefined;
  // The entries of the section being read, if it is one of `sections`.
  let entries: Map<string, number> | undefined;
  let ended = true;
  const open = (): DocumentKeyLines => {
    current = { top: new Map(), inSections: new Map() };
    documents.push(current);
    ended = false;
    return current;
  };
  let line = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const first = text.charCodeAt(start);
    if (first === SPACE) {
      if (entries !== undefined && text.charCodeAt(start + 1) === SPACE && text.charCodeAt(start + 2) !== SPACE) {
        const key = keyAt(text, start + 2, end);
        if (key !== undefined) entries.set(key, line);
      }
    } else if (first !== HASH && first !== CR && start < end) {
      entries = undefined;
      if (isMarker(text, start, end, '---')) open();
      else if (isMarker(text, start, end, '...')) ended = true;
      else {
        // Column 0, not a comment or blank: a top-level key (the section before it ends here).
        const doc = ended || current === undefined ? open() : current;
        const key = keyAt(text, start, end);
        if (key !== undefined) {
          doc.top.set(key, line);
          if (sections.includes(key)) doc.inSections.set(key, (entries = new Map()));
        }
      }
    }
    start = end + 1;
  }
  return documents;
}

/** True when the line from `start` to `end` is the document marker `marker` (`---`, `...`), alone or before a space. */
function isMarker(text: string, start: number, end: number, marker: string): boolean {
  if (!text.startsWith(marker, start)) return false;
  const next = start + marker.length;
  return next >= end || text[next] === ' ' || text[next] === '\t' || text[next] === '\r';
}

const SPACE = 0x20;
const HASH = 0x23;
const CR = 0x0d;

/**
 * The key of a `key: value` or `key:` line whose key starts at `from` (the line ends at `end`):
 * plain, 'single-quoted' or "double-quoted"; undefined when the line is not such a key.
 */
function keyAt(text: string, from: number, end: number): string | undefined {
  const quote = text[from];
  if (quote === "'") {
    // '' stands for one quote inside a single-quoted scalar.
    let at = from + 1;
    for (;;) {
      const close = text.indexOf("'", at);
      if (close === -1 || close >= end) return undefined;
      if (text[close + 1] === "'") {
        at = close + 2;
        continue;
      }
      return isKeyEnd(text, close + 1, end) ? text.slice(from + 1, close).replaceAll("''", "'") : undefined;
    }
  }
  if (quote === '"') {
    let at = from + 1;
    while (at < end && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    if (at >= end || !isKeyEnd(text, at + 1, end)) return undefined;
    try {
      // YAML's double-quoted escapes include JSON's, which are the ones lockfiles use.
      return JSON.parse(text.slice(from, at + 1)) as string;
    } catch {
      return undefined;
    }
  }
  // Flow collections, block scalars, tags, anchors, aliases, `? ` keys and list items are not plain keys.
  if (quote === undefined || '[]{}|>!&*?-%@`#'.includes(quote)) return undefined;
  for (let colon = text.indexOf(':', from); colon !== -1 && colon < end; colon = text.indexOf(':', colon + 1)) {
    if (isKeyEnd(text, colon, end)) return text.slice(from, colon).trimEnd();
  }
  return undefined;
}

/** True when a key ends at `at`: a `:` followed by a space, a tab or the end of the line. */
function isKeyEnd(text: string, at: number, end: number): boolean {
  if (text[at] !== ':') return false;
  const next = at + 1;
  return next >= end || text[next] === ' ' || text[next] === '\t' || text[next] === '\r';
}
