import { describe, expect, it } from 'vitest';
import { ErrorCodes, PsrError, formatDiagnostic, isPsrError } from './errors.js';

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
