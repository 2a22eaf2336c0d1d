import { describe, expect, it } from 'vitest';
import { FAIL_ON_LEVELS, SEVERITIES, compareSeverity, isSeverity, severityAtLeast, severityFromCvssScore } from './severity.js';

describe('severity', () => {
  it('sorts most severe first with unknown last', () => {
    const shuffled = ['low', 'unknown', 'critical', 'medium', 'high'] as const;
    expect([...shuffled].sort(compareSeverity)).toEqual(['critical', 'high', 'medium', 'low', 'unknown']);
  });

  it('applies fail-on thresholds the way a workflow author expects', () => {
    expect(severityAtLeast('critical', 'high')).toBe(true);
    expect(severityAtLeast('high', 'high')).toBe(true);
    expect(severityAtLeast('medium', 'high')).toBe(false);
    expect(severityAtLeast('unknown', 'low')).toBe(false);
    expect(severityAtLeast('unknown', 'unknown')).toBe(true);
    expect(severityAtLeast('low', 'unknown')).toBe(true);
    for (const s of SEVERITIES) expect(severityAtLeast(s, 'none')).toBe(false);
    expect(FAIL_ON_LEVELS).toEqual(['critical', 'high', 'medium', 'low', 'unknown', 'none']);
  });

  it('recognises only the lower-case names', () => {
    expect(isSeverity('medium')).toBe(true);
    expect(isSeverity('HIGH')).toBe(false);
    expect(isSeverity('toString')).toBe(false);
    expect(isSeverity(3)).toBe(false);
  });

  it('maps CVSS scores to the qualitative scale', () => {
    expect(severityFromCvssScore(10)).toBe('critical');
    expect(severityFromCvssScore(9.0)).toBe('critical');
    expect(severityFromCvssScore(8.9)).toBe('high');
    expect(severityFromCvssScore(7.0)).toBe('high');
    expect(severityFromCvssScore(6.9)).toBe('medium');
    expect(severityFromCvssScore(4.0)).toBe('medium');
    expect(severityFromCvssScore(3.9)).toBe('low');
    expect(severityFromCvssScore(0.1)).toBe('low');
    expect(severityFromCvssScore(0)).toBe('unknown');
    expect(severityFromCvssScore(11)).toBe('unknown');
    expect(severityFromCvssScore(Number.NaN)).toBe('unknown');
  });
});
