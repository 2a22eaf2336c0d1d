import crc32 from 'crc-32';

/**
 * GitHub's and npm's digit order: 0-9, then A-Z, then a-z (the "standard" order of the Rust
 * `base62` and Python `pybase62` packages that public token validators use; real tokens fail
 * the 0-9a-zA-Z order).
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Encode an unsigned 32-bit number as base62, left-padded with `0` to `width` characters. */
export function base62(value: number, width = 6): string {
  let n = value >>> 0;
  let out = '';
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

/** CRC-32 (IEEE) of an ASCII string as an unsigned number. */
export function crc32Unsigned(text: string): number {
  return crc32.str(text) >>> 0;
}

/**
 * Check the checksum GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm (`npm_`) put in
 * their tokens: the last 6 characters are the base62 CRC-32 of the 30 random characters
 * before them.
 *
 * @example
 * ```ts
 * hasValidBase62Crc32('ghp_' + body + base62(crc32Unsigned(body))); // true
 * ```
 */
export function hasValidBase62Crc32(token: string): boolean {
  const underscore = token.indexOf('_');
  const body = token.slice(underscore + 1);
  if (body.length < 7) return false;
  const random = body.slice(0, -6);
  const check = body.slice(-6);
  return base62(crc32Unsigned(random)) === check;
}
