import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input` by edit distance, when it is close enough to be a
 * plausible typo (at most a third of its length, minimum 1, maximum 3 edits).
 *
 * @example
 * ```ts
 * suggest('valdate', ['run', 'validate', 'graph']); // 'validate'
 * ```
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(input.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  return bestDistance <= limit ? best : undefined;
}
