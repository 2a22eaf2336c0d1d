/**
 * Binary search over strings sorted in code-unit order (`<` on strings, never locale order): the
 * order of the index's package names and of PEP 440 sort keys.
 */

/**
 * How many entries of `sorted` are below `key`: its index when present, else where it would go.
 *
 * @example
 * ```ts
 * lowerBound(['a', 'c', 'e'], 'c'); // 1
 * lowerBound(['a', 'c', 'e'], 'd'); // 2
 * ```
 */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
