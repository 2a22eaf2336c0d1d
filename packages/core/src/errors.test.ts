import { describe, expect, it } from 'vitest';
import { ErrorCodes, PsrAggregateError, PsrError, formatDiagnostic, isPsrError, shownDiagnostics } from './errors.js';

describe('PsrError', () => {
  it('renders file:line:col, message, code and hint', () => {
    const err = new PsrError(ErrorCodes.DURATION, 'invalid duration "10x"', {
      hint: 'use 500ms, 30s, 5m or 1h',
      location: { file: 'wf.yml', line: 4, col: 10 },
    });
    expect(formatDiagnostic(err.toDiagnostic())).toBe(
      'wf.yml:4:10: invalid duration "10x" [PSR_DURATION]\n  hint: use 500ms, 30s, 5m or 1h',
    );
  });

  it('is recognised by code even after crossing a serialisation boundary', () => {
    const err = new PsrError(ErrorCodes.CRON, 'bad cron');
    const copy = JSON.parse(JSON.stringify({ ...err.toDiagnostic() }));
    expect(isPsrError(copy)).toBe(true);
    expect(isPsrError(new Error('x'))).toBe(false);
  });
});

describe('shownDiagnostics', () => {
  const warn = (code: string, n: number): Array<{ code: string; message: string }> => Array.from({ length: n }, (_, i) => ({ code, message: `${code} #${i}` }));

  it('keeps the first ten of each code in order, so a rare warning is not buried by a flood', () => {
    const list = [...warn('PSR_SCAN_VERSION_INVALID', 5), ...warn('PSR_SCAN_IGNORE_EXPIRED', 1), ...warn('PSR_SCAN_VERSION_INVALID', 2000)];
    const { shown, omitted, omittedLine } = shownDiagnostics(list);
    expect(shown).toHaveLength(11);
    expect(shown.map((d) => d.message)).toContain('PSR_SCAN_IGNORE_EXPIRED #0');
    expect(shown.slice(0, 6).map((d) => d.message)).toEqual([0, 1, 2, 3, 4].map((i) => `PSR_SCAN_VERSION_INVALID #${i}`).concat('PSR_SCAN_IGNORE_EXPIRED #0'));
    expect(omitted).toBe(1995);
    expect(omittedLine).toBe('1995 more warnings not shown: PSR_SCAN_VERSION_INVALID ×1995');
  });

  it('shows everything, with no line, when no code passes the limit', () => {
    const list = [...warn('A', 10), ...warn('B', 3)];
    expect(shownDiagnostics(list)).toEqual({ shown: list, omitted: 0, omittedLine: undefined });
    expect(shownDiagnostics(warn('E', 3), { perCode: 2, noun: 'error' }).omittedLine).toBe('1 more error not shown: E ×1');
  });
});

describe('PsrAggregateError', () => {
  it('names the first problem in its message, for a program that lets it reach Node\'s handler', () => {
    const problem = { code: 'PSR_UNKNOWN_TASK_TYPE', message: 'unknown task type "scna" in task "audit"', hint: 'did you mean "scan"?', location: { file: 'wf.yml', line: 4, col: 11 } };
    const err = new PsrAggregateError([problem, { code: 'PSR_SCHEMA', message: 'another' }]);
    expect(err.message).toBe('2 problems, the first: wf.yml:4:11: unknown task type "scna" in task "audit" [PSR_UNKNOWN_TASK_TYPE]\n  hint: did you mean "scan"?');
    expect(err.code).toBe('PSR_UNKNOWN_TASK_TYPE');
  });
});
