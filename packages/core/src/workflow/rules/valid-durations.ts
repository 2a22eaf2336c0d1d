/** validDurations: every duration parses (`timeout`, `retry.delay`, `retry.max-delay`, `retry.budget`). */
import { ErrorCodes, isPsrError } from '../../errors.js';
import type { PathSegment } from '../document.js';
import { DURATION_HINT, parseDuration } from '../duration.js';
import type { UserRetry } from '../schema.js';
import type { RuleContext, WorkflowRule } from './rule.js';

export const validDurations: WorkflowRule = {
  name: 'validDurations',
  check(ctx) {
    const { user } = ctx;
    check(ctx, ['timeout'], user.timeout);
    check(ctx, ['defaults', 'timeout'], user.defaults.timeout);
    checkRetry(ctx, ['defaults', 'retry'], user.defaults.retry);
    for (const [id, t] of Object.entries(user.tasks)) {
      check(ctx, ['tasks', id, 'timeout'], t.timeout);
      checkRetry(ctx, ['tasks', id, 'retry'], t.retry);
    }
  },
};

function checkRetry(ctx: RuleContext, path: PathSegment[], retry: UserRetry | undefined): void {
  if (retry === undefined || typeof retry === 'number') return;
  check(ctx, [...path, 'delay'], retry.delay);
  check(ctx, [...path, 'max-delay'], retry['max-delay']);
  check(ctx, [...path, 'budget'], retry.budget);
}

function check(ctx: RuleContext, path: PathSegment[], value: string | number | undefined): void {
  // `${{ }}` here is reported by validExpressions (durations are not evaluated).
  if (value === undefined || (typeof value === 'string' && value.includes('${{'))) return;
  try {
    const ms = parseDuration(value);
    if (ms === 0 && path.at(-1) !== 'delay' && path.at(-1) !== 'max-delay') {
      ctx.report({ code: ErrorCodes.DURATION, message: `${path.at(-1)} of 0 would stop at once`, hint: 'use a positive duration, or remove the key for no limit', path });
    }
  } catch (err) {
    if (!isPsrError(err)) throw err;
    ctx.report({ code: ErrorCodes.DURATION, message: `${String(path.at(-1))}: invalid duration ${JSON.stringify(value)}`, hint: DURATION_HINT, path });
  }
}
