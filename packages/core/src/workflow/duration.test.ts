import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['45', 45_000],
    [2, 2000],
    [0.25, 250],
  ] as const)('%s → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['10x', '', 'm', '5 m', '-1s', '1m1h', '1s1s', 'soon', '1e3s', 'Infinity'])('rejects %j with PSR_DURATION and a hint', (text) => {
    expect(() => parseDuration(text)).toThrow(expect.objectContaining({ code: 'PSR_DURATION', hint: expect.stringContaining('30s') }));
  });

  it('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-1)).toThrow(expect.objectContaining({ code: 'PSR_DURATION' }));
    expect(() => parseDuration(Number.NaN)).toThrow(expect.objectContaining({ code: 'PSR_DURATION' }));
  });
});
