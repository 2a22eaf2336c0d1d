import { describe, expect, it } from 'vitest';
import type { PsrAggregateError } from '../errors.js';
import type { InputSpec } from '../model.js';
import { resolveInputs } from './inputs.js';

const inputs: Record<string, InputSpec> = {
  target: { type: 'string', required: false, default: 'staging', enum: ['staging', 'prod'] },
  retries: { type: 'number', required: false, default: 1 },
  dryRun: { type: 'boolean', required: false, default: false },
  version: { type: 'string', required: true, description: 'release version' },
  level: { type: 'number', required: false, enum: [1, 2, 3] },
};
const wf = { inputs, file: 'wf.yml' };

function problems(raw: Record<string, string | number | boolean>): string[] {
  try {
    resolveInputs(wf, raw);
  } catch (e) {
    expect((e as PsrAggregateError).code).toBe('PSR_INPUT');
    return (e as PsrAggregateError).problems.map((p) => `${p.message} | ${p.hint ?? ''}`);
  }
  throw new Error('expected a PSR_INPUT error');
}

describe('resolveInputs', () => {
  it('coerces command-line strings and applies defaults', () => {
    expect(resolveInputs(wf, { version: '1.2.0', retries: '3', dryRun: 'true', level: '2' })).toEqual({ target: 'staging', retries: 3, dryRun: true, version: '1.2.0', level: 2 });
    expect(resolveInputs(wf, { version: '1', dryRun: 'FALSE', target: 'prod', retries: 0 })).toMatchObject({ dryRun: false, target: 'prod', retries: 0 });
  });

  it('keeps a string input that looks like a number a string', () => {
    expect(resolveInputs(wf, { version: '3.10' }).version).toBe('3.10');
  });

  it('reports every problem at once, each with a hint', () => {
    const p = problems({ target: 'qa', retries: 'many', dryRun: 'maybe', level: '7', bogus: 'x' });
    expect(p).toHaveLength(6);
    expect(p.join('\n')).toContain('unknown input "bogus" | this workflow declares: target, retries, dryRun, version, level');
    expect(p.join('\n')).toContain('input "target" must be one of "staging", "prod", got "qa" | allowed values: staging, prod');
    expect(p.join('\n')).toContain('input "retries" must be a number, got "many"');
    expect(p.join('\n')).toContain('input "dryRun" must be true or false');
    expect(p.join('\n')).toContain('input "level" must be one of 1, 2, 3');
    expect(p.join('\n')).toContain('missing required input "version" (release version) | pass --input version=<string>');
  });

  it('refuses empty and non-finite numbers', () => {
    expect(problems({ version: 'v', retries: '' })[0]).toContain('must be a number');
    expect(problems({ version: 'v', retries: 'Infinity' })[0]).toContain('must be a number');
  });
});
