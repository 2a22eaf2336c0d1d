import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.js';

describe('isoTimestamp', () => {
  it('writes what Date.prototype.toISOString writes', () => {
    const times = [
      0,
      -1,
      1,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999), // a leap day
      Date.UTC(2000, 1, 29), // leap: divisible by 400
      Date.UTC(2100, 2, 1) - 1, // 2100 is no leap year: 28 February
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(1900, 0, 1),
      -62_167_219_200_000, // 0000-01-01T00:00:00.000Z
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
      1733454350381.7, // fractions of a millisecond are dropped
    ];
    // A deterministic spread over years 0–9999.
    let seed = 42;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      times.push(-62_167_219_200_000 + Math.floor((seed / 2_147_483_648) * (253_402_300_800_000 + 62_167_219_200_000)));
    }
    for (const t of times) expect(isoTimestamp(t), String(t)).toBe(new Date(t).toISOString());
  });

  it('leaves years beyond 0–9999 and invalid times to toISOString', () => {
    expect(isoTimestamp(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoTimestamp(-62_167_219_200_001)).toBe('-000001-12-31T23:59:59.999Z');
    expect(() => isoTimestamp(Number.NaN)).toThrow(RangeError);
  });
});
