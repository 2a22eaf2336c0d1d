import { LineCounter, parseDocument, isMap, isScalar, type Document } from 'yaml';
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
 * Parse YAML with positions; the first syntax error becomes `PSR_LOCKFILE_PARSE` at `file:line:col`.
 * Only `sections` (top-level mapping names) get a key → line index, to keep big locks cheap.
 */
export function parseYamlSource(text: string, file: string, sections: readonly string[]): YamlSource {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    throw lockfileParseError(`invalid YAML in ${file}: ${(err as Error).message}`, { file, line: 1, col: 1 }, undefined, err);
  }
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw lockfileParseError(`invalid YAML in ${file}: ${error.message.split('\n')[0]}`, { file, line: pos.line, col: pos.col }, undefined, error);
  }
  const lines = new Map<string, Map<string, number>>();
  const top = new Map<string, number>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const sectionName = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (sectionName !== undefined && isScalar(pair.key) && pair.key.range) top.set(sectionName, lineCounter.linePos(pair.key.range[0]).line);
      if (sectionName === undefined || !sections.includes(sectionName) || !isMap(pair.value)) continue;
      const index = new Map<string, number>();
      for (const item of pair.value.items) {
        if (isScalar(item.key) && item.key.range) index.set(String(item.key.value), lineCounter.linePos(item.key.range[0]).line);
      }
      lines.set(sectionName, index);
    }
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw lockfileParseError(`invalid YAML in ${file}: ${(err as Error).message}`, { file, line: 1, col: 1 }, undefined, err);
  }
  return { value, keyLine: (section, key) => lines.get(section)?.get(key), topKeyLine: (key) => top.get(key) };
}

