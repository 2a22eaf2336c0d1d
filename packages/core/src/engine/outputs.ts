/**
 * Task outputs as stored and passed on: JSON-like values only, because they are written to
 * run history, printed as NDJSON and sent across processes (BullMQ workers).
 */
import type { OutputValue, TaskOutputs } from '../plugin.js';

function toOutputValue(value: unknown, depth: number): OutputValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON has no NaN/Infinity: keep what the task meant, as text.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (depth > 32) return '[too deep]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toOutputValue(v, depth + 1) ?? null);
  if (value instanceof Map) return normalize(Object.fromEntries(value), depth + 1);
  if (value instanceof Set) return [...value].map((v) => toOutputValue(v, depth + 1) ?? null);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return normalize(value as Record<string, unknown>, depth + 1);
}

function normalize(value: Record<string, unknown>, depth: number): { [key: string]: OutputValue } {
  const out: { [key: string]: OutputValue } = {};
  for (const [k, v] of Object.entries(value)) {
    const converted = toOutputValue(v, depth);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
}

/**
 * Make a task's returned object JSON-safe: `undefined` and functions are dropped, dates become
 * ISO strings, bigints and non-finite numbers become strings, Maps/Sets become objects/arrays,
 * binary data becomes base64. Plain JSON values pass unchanged.
 *
 * @example
 * ```ts
 * normalizeOutputs({ when: new Date(0), n: 1n, skip: undefined }); // { when: '1970-01-01T00:00:00.000Z', n: '1' }
 * ```
 */
export function normalizeOutputs(value: Record<string, unknown>): TaskOutputs {
  for (const k in value) {
    // Fast path: flat objects of plain scalars (the usual case) are returned as they are.
    const v = value[k];
    const t = typeof v;
    if (!(t === 'string' || t === 'boolean' || v === null || (t === 'number' && Number.isFinite(v)))) return normalize(value, 0);
  }
  return value as TaskOutputs;
}
