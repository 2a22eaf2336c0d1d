/**
 * Process checks for this package's tests: whether a pid still runs (a zombie does not count:
 * in containers whose init never reaps, killed orphans stay zombies).
 */
import { readFileSync } from 'node:fs';

/**
 * True when `pid` exists and is not a zombie.
 *
 * @example
 * ```ts
 * await expect.poll(() => isRunning(pid)).toBe(false);
 * ```
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Every `name=<number>` in `text`, as pids.
 *
 * @example
 * ```ts
 * pidsIn('bg=123\nbg=456\n', 'bg'); // [123, 456]
 * ```
 */
export function pidsIn(text: string, name: string): number[] {
  return [...text.matchAll(new RegExp(`${name}=(\\d+)`, 'g'))].map((m) => Number(m[1]));
}
