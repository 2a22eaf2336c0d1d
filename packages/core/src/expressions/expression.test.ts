import { describe, expect, it } from 'vitest';
import { evaluateExpression, parseExpression, usesStatusFunction } from './expression.js';
import { findTemplateParts, interpolateString, interpolateValue } from './template.js';

const contexts = {
  inputs: { n: 3, target: 'prod', flag: false },
  tasks: { scan: { result: 'success', outputs: { critical: 0, list: '["a","b"]' } } },
  matrix: { py: '3.12' },
  env: { STAGE: 'x' },
  run: { id: 'r1', attempt: 2, workflow: 'wf', 'started-at': '2026-01-01T00:00:00Z' },
};

describe('expressions', () => {
  it('evaluates the GitHub Actions language against psr contexts', () => {
    expect(evaluateExpression("tasks.scan.outputs.critical == 0 && inputs.target == 'prod'", contexts)).toBe(true);
    expect(evaluateExpression('inputs.n > 2', contexts)).toBe(true);
    expect(evaluateExpression("format('py{0}', matrix.py)", contexts)).toBe('py3.12');
    expect(evaluateExpression('fromJSON(tasks.scan.outputs.list)[1]', contexts)).toBe('b');
    expect(evaluateExpression("contains(fromJSON('[\"a\"]'), 'a')", contexts)).toBe(true);
    expect(evaluateExpression('tasks.missing.outputs.x', contexts)).toBe(null);
    expect(evaluateExpression('run.attempt', contexts)).toBe(2);
    expect(evaluateExpression("run['started-at']", contexts)).toBe('2026-01-01T00:00:00Z');
    expect(evaluateExpression("INPUTS.TARGET == 'PROD'", contexts)).toBe(true);
  });

  it('reports bad expressions as PSR_EXPRESSION with the position', () => {
    expect(() => parseExpression('inputs.n >')).toThrow(expect.objectContaining({ code: 'PSR_EXPRESSION' }));
    expect(() => parseExpression('github.sha')).toThrow(/Unrecognized named-value: 'github'/);
    expect(() => parseExpression('success()')).toThrow(expect.objectContaining({ hint: expect.stringContaining('only allowed in if:') }));
    expect(() => parseExpression('success()', { allowStatusFunctions: true })).not.toThrow();
  });

  it('finds status functions, not properties of the same name', () => {
    expect(usesStatusFunction('always()')).toBe(true);
    expect(usesStatusFunction("failure() || inputs.x == 'y'")).toBe(true);
    expect(usesStatusFunction('Cancelled ()')).toBe(true);
    expect(usesStatusFunction('tasks.success.result')).toBe(false);
    expect(usesStatusFunction("inputs.target == 'success()'")).toBe(false);
  });

  it('evaluates status functions through the given callbacks', () => {
    const status = { success: () => false, failure: () => true, cancelled: () => false };
    expect(evaluateExpression('failure()', {}, status)).toBe(true);
    expect(evaluateExpression('success() || cancelled()', {}, status)).toBe(false);
    expect(evaluateExpression('always()', {}, status)).toBe(true);
  });
});

describe('templates', () => {
  const ev = (e: string) => evaluateExpression(e, contexts);

  it('finds ${{ }} parts, skipping }} inside string literals', () => {
    expect(findTemplateParts("a ${{ format('}}{0}', 'x') }} b ${{ inputs.n }}").map((p) => p.expression)).toEqual(["format('}}{0}', 'x')", 'inputs.n']);
    expect(findTemplateParts("${{ 'it''s }}' }}")[0]!.expression).toBe("'it''s }}'");
    expect(() => findTemplateParts('x ${{ inputs.n')).toThrow(expect.objectContaining({ code: 'PSR_EXPRESSION' }));
  });

  it('keeps the type of a lone expression and stringifies embedded ones like GitHub', () => {
    expect(interpolateString('${{ inputs.n }}', ev)).toBe(3);
    expect(interpolateString(' ${{ inputs.flag }}', ev)).toBe(' false');
    expect(interpolateString('v=${{ tasks.nope.outputs.x }}.', ev)).toBe('v=.');
    expect(interpolateString('${{ inputs.n }}', ev, { asString: true })).toBe('3');
    expect(interpolateString('${{ fromJSON(tasks.scan.outputs.list) }}-', ev)).toBe('["a","b"]-');
    expect(interpolateString('no expressions', ev)).toBe('no expressions');
  });

  it('interpolates recursively in arrays and objects', () => {
    expect(interpolateValue({ a: ['${{ matrix.py }}', 1, true, null], b: { c: 'py${{ matrix.py }}' } }, ev)).toEqual({ a: ['3.12', 1, true, null], b: { c: 'py3.12' } });
  });
});
