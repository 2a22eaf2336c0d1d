import { crc32 } from 'node:zlib';
import { expect, it } from 'vitest';
import { ALNUM, fake } from '../rules/samples.js';
import { base62, hasValidBase62Crc32 } from './base62-crc32.js';

/** The checksum as GitHub computes it, written out independently: digits 0-9, A-Z, a-z. */
function githubChecksum(random: string, digits: string): string {
  let n = crc32(random) >>> 0;
  let out = '';
  while (n > 0) {
    out = digits[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(6, '0');
}

it('validates the CRC-32 of GitHub and npm tokens in base62 digit order 0-9A-Za-z, not 0-9a-zA-Z', () => {
  expect(base62(10)).toBe('00000A');
  expect(base62(61)).toBe('00000z');
  const upperFirst = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const lowerFirst = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let compared = 0;
  for (let i = 0; i < 50; i++) {
    const random = fake(ALNUM, 30, `crc-${i}`);
    const real = githubChecksum(random, upperFirst);
    const wrong = githubChecksum(random, lowerFirst);
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'npm_']) expect(hasValidBase62Crc32(prefix + random + real)).toBe(true);
    if (wrong !== real) {
      compared++;
      expect(hasValidBase62Crc32(`ghp_${random}${wrong}`)).toBe(false);
    }
  }
  expect(compared).toBeGreaterThan(40);
});
