/**
 * ISO 8601 UTC timestamps (`2026-12-06T03:05:50.381Z`) for report times.
 *
 * Written out rather than taken from `Date.prototype.toISOString`: V8 answers the first
 * `toISOString` of a process only after loading the local time zone (ICU's zone data and
 * `/etc/localtime`), ~1 ms of a warm `psr scan`, though the text is in UTC and needs no zone.
 */

const MS_PER_DAY = 86_400_000;

/**
 * The timestamp `new Date(ms).toISOString()` gives, for times in the years 0–9999 (others are
 * left to `toISOString`, which writes six-digit years).
 *
 * @example
 * ```ts
 * isoTimestamp(Date.UTC(2024, 1, 29, 12, 0, 0, 5)); // '2024-02-29T12:00:00.005Z'
 * isoTimestamp(Date.now()).slice(0, 10);           // today's date, e.g. '2026-12-06'
 * ```
 */
export function isoTimestamp(ms: number): string {
  // Outside years 0–9999, and not a time: what toISOString does (six-digit years, RangeError).
  if (!(ms >= -62_167_219_200_000 && ms < 253_402_300_800_000)) return new Date(ms).toISOString();
  const t = Math.floor(ms);
  const days = Math.floor(t / MS_PER_DAY);
  let rest = t - days * MS_PER_DAY;
  // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted): eras of
  // 400 years, each starting on 1 March so that the leap day ends a year.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
