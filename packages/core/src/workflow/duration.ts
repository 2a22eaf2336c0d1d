/**
 * Durations as people write them (`500ms`, `30s`, `5m`, `1h30m`, `2d`, or a bare number of
 * seconds) converted to milliseconds. Hand-written because the grammar is four lines and the
 * popular `ms` package accepts neither compound values (`1h30m`) nor rejects trailing junk.
 */
import { ErrorCodes, PsrError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const COMPOUND = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** The hint shown with every duration error. */
export const DURATION_HINT = 'write a number with a unit: 500ms, 30s, 5m, 1h, 1h30m, 2d (a bare number means seconds)';

/**
 * Parse a duration into milliseconds.
 *
 * Accepts a string with units (`ms`, `s`, `m`, `h`, `d`, combinable largest first: `1h30m`)
 * or a non-negative number of seconds. Throws `PsrError` with code `PSR_DURATION` otherwise.
 *
 * @example
 * ```ts
 * parseDuration('1m30s'); // 90000
 * parseDuration(2);       // 2000 (seconds)
 * parseDuration('10x');   // throws PsrError PSR_DURATION
 * ```
 */
export function parseDuration(value: string | number): number {
  const fail = (): never => {
    throw new PsrError(ErrorCodes.DURATION, `invalid duration ${JSON.stringify(value)}`, { hint: DURATION_HINT });
  };
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return fail();
    return Math.round(value * 1000);
  }
  if (typeof value !== 'string') return fail();
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!COMPOUND.test(text)) return fail();
  let total = 0;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const m of text.matchAll(PART)) {
    const unit = UNIT_MS[m[2]!]!;
    // `1m1h` is almost certainly a typo: units must go from largest to smallest, once each.
    if (unit >= lastUnit) return fail();
    lastUnit = unit;
    total += Number(m[1]) * unit;
  }
  if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) return fail();
  return Math.round(total);
}
