import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input` by edit distance, when it is close enough to be a
 * plausible typo: 1 edit for 1–2 characters, else a third of its length, between 2 and 3 edits
 * (so a swapped pair like `rnu` → `run` is found).
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
  const limit = input.length < 3 ? 1 : Math.min(3, Math.max(2, Math.floor(input.length / 3)));
  return bestDistance <= limit ? best : undefined;
}
