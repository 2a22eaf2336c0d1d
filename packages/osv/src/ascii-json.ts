/**
 * JSON text that is pure ASCII. The index file is read back with Latin-1 decoding (one byte, one
 * character: a plain copy, no UTF-8 decoding), which gives back the written text only when every
 * character of it is below U+0080, and byte offsets then equal string offsets.
 */

/**
 * `JSON.stringify(value)` with every non-ASCII character escaped (`\u00e9`): JSON.parse reads
 * back the same value.
 *
 * @example
 * ```ts
 * asciiJson({ summary: 'café' }); // '{"summary":"caf\\u00e9"}'
 * ```
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
