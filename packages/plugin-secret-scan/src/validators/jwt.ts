import type { Validation } from '../rules/rule.js';
import { decodeBase64Json } from './base64.js';

/**
 * A JWT is only a credential when its header decodes to JSON naming a signing `alg` (not
 * `none`) and its payload decodes to JSON. Anything else that merely looks like `eyJ….eyJ….x`
 * is dropped.
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
  return 'valid';
}
