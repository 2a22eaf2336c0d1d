import { createPrivateKey } from 'node:crypto';
import type { Validation } from '../rules/rule.js';
import { decodeBase64 } from './base64.js';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/**
 * Turn a key as it appears in source (escaped `\n`, quotes, `+` concatenation, a comment
 * marker on every line) back into PEM text.
 */
export function unescapePem(text: string): string {
  const unquoted = text
    .replace(/\\r/g, '')
    .replace(/\\n/g, '\n')
    .replace(/["'`]\s*\+?\s*$/gm, '')
    .replace(/^\s*\+?\s*["'`]/gm, '');
  // A base64 line may itself start with `//` or `+`, so a comment marker is stripped only when
  // the END line carries it too: that is a key pasted into a comment, not a key body.
  const marker = /^[ \t]*(#|\/\/|\*|;)[ \t]?-----END /m.exec(unquoted)?.[1];
  if (marker === undefined) return unquoted;
  return unquoted.replace(new RegExp(`^[ \\t]*${marker.replace(/[*/]/g, '\\$&')}[ \\t]?`, 'gm'), '');
}

/** Split an armored body into header lines (`Proc-Type: …`) and the base64 payload. */
function armorPayload(body: string): { headers: string[]; base64: string } {
  const headers: string[] = [];
  const data: string[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^[A-Za-z-]+:\s/.test(line)) headers.push(line);
    else if (line.startsWith('=') && line.length === 5) continue; // PGP CRC-24 line
    else data.push(line);
  }
  return { headers, base64: data.join('') };
}

/**
 * Parse a private key block offline. Unencrypted PKCS#1/PKCS#8/SEC1 keys must load with
 * `crypto.createPrivateKey`; encrypted ones must carry a DER sequence; OpenSSH keys must start
 * with the `openssh-key-v1` magic; PGP secret keys must start with a secret-key packet.
 * Documentation stubs (`MIIE...`, `<key>`) fail and are dropped.
 *
 * @example
 * ```ts
 * validatePrivateKey(pemText); // 'valid' for a real key, 'invalid' for a stub
 * ```
 */
export function validatePrivateKey(text: string): Validation {
  const pem = unescapePem(text);
  const m = BLOCK.exec(pem);
  if (!m) return 'invalid';
  const label = m[1] ?? '';
  const { headers, base64 } = armorPayload(m[2] ?? '');
  if (base64.length < 64) return 'invalid';
  const der = decodeBase64(base64);
  if (!der || der.length < 48) return 'invalid';
  // A long, well-formed base64 body that does not parse is still most likely a key (truncated,
  // re-wrapped or hand-made): keep it at the rule's default confidence. Stubs never get here.
  const notParsed: Validation = base64.length >= 200 ? 'unknown' : 'invalid';
  if (label === 'OPENSSH PRIVATE KEY') {
    return der.subarray(0, 15).toString('latin1') === 'openssh-key-v1\0' ? 'valid' : notParsed;
  }
  if (label.startsWith('PGP PRIVATE KEY')) {
    // OpenPGP packet tag: old format 0b10tttt.., new format 0b11tttttt; 5 = secret key.
    const b = der[0] ?? 0;
    if ((b & 0x80) === 0) return notParsed;
    const tag = b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;
    return tag === 5 || tag === 7 ? 'valid' : notParsed;
  }
  // Traditional encrypted PEM (Proc-Type: 4,ENCRYPTED): the body is ciphertext, no DER to check.
  if (headers.some((h) => /^Proc-Type:\s*4,ENCRYPTED/i.test(h))) return headers.some((h) => /^DEK-Info:/i.test(h)) ? 'valid' : 'invalid';
  if (der[0] !== 0x30) return notParsed;
  if (label.includes('ENCRYPTED')) return 'valid';
  try {
    const canonical = `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END ${label}-----\n`;
    createPrivateKey({ key: canonical, format: 'pem' });
    return 'valid';
  } catch {
    return notParsed;
  }
}
