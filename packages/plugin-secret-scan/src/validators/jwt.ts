import { createHmac } from 'node:crypto';
import type { Validation } from '../rules/rule.js';
import { decodeBase64Json } from './base64.js';

/**
 * Signing keys of documentation tokens: jwt.io's default, and the words tutorials and library
 * READMEs sign their examples with (PyJWT's `jwt.encode({"some": "payload"}, "secret")`).
 */
const EXAMPLE_SIGNING_KEYS = ['your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret', 'secret', 'secretkey', 'secret-key', 'my-secret', 'mysecret', 'key', 'changeme', 'password', 'shhhhh'];
const HMAC_DIGESTS: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** True when an HMAC-signed token verifies with a key documentation uses: an example, not a leak. */
function signedWithExampleKey(parts: string[], alg: string): boolean {
  const digest = HMAC_DIGESTS[alg.toUpperCase()];
  if (!digest) return false;
  const signed = `${parts[0]}.${parts[1]}`;
  const signature = (parts[2] ?? '').replace(/=+$/, '');
  return EXAMPLE_SIGNING_KEYS.some((key) => createHmac(digest, key).update(signed).digest('base64url') === signature);
}

/**
 * A JWT is only a credential when its header decodes to JSON naming a signing `alg` (not
 * `none`) and its payload decodes to JSON. Anything else that merely looks like `eyJ….eyJ….x`
 * is dropped, as is an HMAC token signed with a key documentation uses (`secret`, jwt.io's
 * `your-256-bit-secret`).
 *
 * @example
 * ```ts
 * validateJwt('eyJhbGciOi...'); // 'valid' | 'invalid'
 * ```
 */
export function validateJwt(token: string): Validation {
  const parts = token.split('.');
  if (parts.length !== 3) return 'invalid';
  const header = decodeBase64Json(parts[0] ?? '');
  const payload = decodeBase64Json(parts[1] ?? '');
  if (!header || !payload) return 'invalid';
  const alg = header['alg'];
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') return 'invalid';
  if ((parts[2] ?? '').length < 16) return 'invalid';
  if (signedWithExampleKey(parts, alg)) return 'invalid';
  return 'valid';
}
