/**
 * Normalise a Python distribution name as PEP 503 says: lowercase, runs of `-`, `_`, `.` → `-`.
 *
 * @example
 * ```ts
 * normalizePypiName('Zope.Interface'); // 'zope-interface'
 * normalizePypiName('typing__extensions'); // 'typing-extensions'
 * ```
 */
export function normalizePypiName(name: string): string {
  return name.trim().replace(SEPARATOR_RUN, '-').toLowerCase();
}

/** Hoisted: a literal inside the function would build a new RegExp on every call. */
const SEPARATOR_RUN = /[-_.]+/g;
