/**
 * True for a value a lockfile may name a package with: a string with something in it. Entries
 * whose name is missing, empty or not a string (a truncated or hand-edited file) are skipped
 * with a warning at their line rather than failing the whole file.
 *
 * @example
 * ```ts
 * isPackageName('requests'); // true
 * isPackageName(''); // false
 * ```
 */
export function isPackageName(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * The text of a scalar lockfile value (a version, a path) for keys and messages; '' for tables
 * and arrays, which `String()` cannot always print (TOML tables have no prototype).
 *
 * @example
 * ```ts
 * scalarText('1.0'); // '1.0'
 * scalarText({ git: 'https://…' }); // ''
 * ```
 */
export function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
