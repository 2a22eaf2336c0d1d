/**
 * The pure arithmetic of `retry:`: which failures are retried and how long to wait.
 * No timers here, so it is tested deterministically with an injected random source.
 */
import type { RetryPolicy } from '../model.js';

/** What failed, as far as `retry.on` is concerned. */
export interface RetryableFailure {
  /** `exit`, `timeout`, `error`, `network`, or a plugin's own kind. */
  kind: string;
  exitCode?: number | undefined;
  /** False: the task said retrying cannot change the outcome; retried only when `on:` names the kind. */
  retryable?: boolean | undefined;
}

/**
 * Failure kinds never retried whatever `on:` says: the engine itself found the task's
 * input invalid, which another try cannot change.
 */
export const NEVER_RETRIED_KINDS: readonly string[] = ['input', 'expression', 'cancelled'];

/**
 * True when `retry.on` lets this failure be retried: no `on:` means any failure the task did
 * not mark `retryable: false`; numbers match exit codes, strings match failure kinds.
 *
 * @example
 * ```ts
 * matchesRetryOn({ ...policy, on: [75, 'network'] }, { kind: 'exit', exitCode: 75 }); // true
 * matchesRetryOn({ ...policy, on: ['timeout'] }, { kind: 'exit', exitCode: 1 }); // false
 * ```
 */
export function matchesRetryOn(policy: RetryPolicy, failure: RetryableFailure): boolean {
  if (NEVER_RETRIED_KINDS.includes(failure.kind)) return false;
  if (!policy.on || policy.on.length === 0) return failure.retryable !== false;
  return policy.on.some((o) => (typeof o === 'number' ? failure.exitCode === o : o === failure.kind));
}

/**
 * The wait before the next attempt, after attempt number `failedAttempt` (1-based) failed:
 * `fixed` waits `delayMs` each time, `exponential` waits `delayMs * 2^(n-1)`; both capped at
 * `maxDelayMs`. With `jitter` the wait is uniform in [0, capped] ("full jitter").
 *
 * @example
 * ```ts
 * const p = { attempts: 5, backoff: 'exponential', delayMs: 100, maxDelayMs: 1000, jitter: false } as const;
 * retryDelayMs(p, 1); // 100
 * retryDelayMs(p, 3); // 400
 * retryDelayMs(p, 9); // 1000 (capped)
 * ```
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const base = policy.backoff === 'exponential' ? policy.delayMs * 2 ** Math.max(0, failedAttempt - 1) : policy.delayMs;
  const capped = Math.max(0, Math.min(base, policy.maxDelayMs));
  if (!policy.jitter) return capped;
  return Math.floor(random() * (capped + 1));
}

/** The decision after a failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'attempts' | 'not-retryable' | 'budget' };

/**
 * Decide whether to try again after a failed attempt.
 * The retry budget (`budgetMs`, counted from the start of the first attempt) admits no new
 * wait or attempt that would begin at or beyond it.
 *
 * @example
 * ```ts
 * decideRetry(policy, { attempt: 1, failure: { kind: 'exit', exitCode: 1 }, elapsedMs: 250 });
 * // → { retry: true, delayMs: 100 }
 * ```
 */
export function decideRetry(
  policy: RetryPolicy,
  state: { attempt: number; failure: RetryableFailure; elapsedMs: number },
  random: () => number = Math.random,
): RetryDecision {
  if (state.attempt >= policy.attempts) return { retry: false, reason: 'attempts' };
  if (!matchesRetryOn(policy, state.failure)) return { retry: false, reason: 'not-retryable' };
  const delayMs = retryDelayMs(policy, state.attempt, random);
  if (policy.budgetMs !== undefined && state.elapsedMs + delayMs >= policy.budgetMs) return { retry: false, reason: 'budget' };
  return { retry: true, delayMs };
}
