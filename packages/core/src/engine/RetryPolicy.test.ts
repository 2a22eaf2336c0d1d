import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../model.js';
import { decideRetry, matchesRetryOn, retryDelayMs } from './RetryPolicy.js';

const base: RetryPolicy = { attempts: 5, backoff: 'exponential', delayMs: 100, maxDelayMs: 1000, jitter: false };

describe('RetryPolicy', () => {
  it('computes exponential backoff capped at max-delay', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(base, n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('computes fixed backoff', () => {
    expect([1, 2, 3].map((n) => retryDelayMs({ ...base, backoff: 'fixed', delayMs: 250 }, n))).toEqual([250, 250, 250]);
    expect(retryDelayMs({ ...base, backoff: 'fixed', delayMs: 5000, maxDelayMs: 2000 }, 1)).toBe(2000);
  });

  it('applies full jitter uniformly in [0, computed] with the injected random', () => {
    const p = { ...base, jitter: true };
    expect(retryDelayMs(p, 3, () => 0)).toBe(0);
    expect(retryDelayMs(p, 3, () => 0.5)).toBe(200);
    expect(retryDelayMs(p, 3, () => 0.999999)).toBe(400);
    expect(retryDelayMs(p, 10, () => 0.999999)).toBe(1000);
  });

  it('matches retry.on against exit codes and failure kinds', () => {
    expect(matchesRetryOn(base, { kind: 'exit', exitCode: 1 })).toBe(true);
    const on = { ...base, on: [75, 'network', 'timeout'] };
    expect(matchesRetryOn(on, { kind: 'exit', exitCode: 75 })).toBe(true);
    expect(matchesRetryOn(on, { kind: 'exit', exitCode: 1 })).toBe(false);
    expect(matchesRetryOn(on, { kind: 'network' })).toBe(true);
    expect(matchesRetryOn(on, { kind: 'timeout' })).toBe(true);
    expect(matchesRetryOn(on, { kind: 'error' })).toBe(false);
    expect(matchesRetryOn(base, { kind: 'input' })).toBe(false);
    expect(matchesRetryOn({ ...base, on: ['input'] }, { kind: 'input' })).toBe(false);
  });

  it('decides: attempts exhausted, not retryable, budget, or a wait', () => {
    const failure = { kind: 'exit', exitCode: 1 };
    expect(decideRetry(base, { attempt: 1, failure, elapsedMs: 0 })).toEqual({ retry: true, delayMs: 100 });
    expect(decideRetry(base, { attempt: 5, failure, elapsedMs: 0 })).toEqual({ retry: false, reason: 'attempts' });
    expect(decideRetry({ ...base, attempts: 1 }, { attempt: 1, failure, elapsedMs: 0 })).toEqual({ retry: false, reason: 'attempts' });
    expect(decideRetry({ ...base, on: [2] }, { attempt: 1, failure, elapsedMs: 0 })).toEqual({ retry: false, reason: 'not-retryable' });
    expect(decideRetry({ ...base, budgetMs: 1000 }, { attempt: 2, failure, elapsedMs: 700 })).toEqual({ retry: true, delayMs: 200 });
    expect(decideRetry({ ...base, budgetMs: 1000 }, { attempt: 3, failure, elapsedMs: 700 })).toEqual({ retry: false, reason: 'budget' });
    expect(decideRetry({ ...base, budgetMs: 1000, jitter: true }, { attempt: 3, failure, elapsedMs: 700 }, () => 0.5)).toEqual({ retry: true, delayMs: 200 });
  });
});
