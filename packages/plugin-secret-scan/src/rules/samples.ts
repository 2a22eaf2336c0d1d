/**
 * Synthetic, format-valid sample credentials for rule tests, the labelled corpus and the
 * benchmark. Values are built at run time from a seeded generator, so no literal token ever
 * sits in the source (push-protection scanners would rightly flag one) and every run builds
 * the same values.
 */
import { constants, createCipheriv, createHmac, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { base62, crc32Unsigned } from '../validators/base62-crc32.js';

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const HEX = '0123456789abcdef';
export const LOWER_NUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const BASE64 = ALNUM + '+/';
export const BASE64URL = ALNUM + '-_';
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` characters of `alphabet`, determined by `label` (same label, same string). */
export function fake(alphabet: string, n: number, label: string, rng?: () => number): string {
  const next = rng ?? seededRandom(crc32Unsigned(label));
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

/** A GitHub/npm style token: prefix + 30 random base62 + base62 CRC-32 of the random part. */
export function checksummedToken(prefix: string, label: string, rng?: () => number): string {
  const random = fake(ALNUM, 30, label, rng);
  return `${prefix}${random}${base62(crc32Unsigned(random))}`;
}

function b64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

/** A structurally valid HS256 JWT with a random signature. */
export function fakeJwt(label: string, rng?: () => number): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ sub: fake(LOWER_NUM, 12, `${label}-sub`, rng), role: 'service', iat: 1716000000 }));
  return `${header}.${payload}.${fake(BASE64URL, 43, `${label}-sig`, rng)}`;
}

/** An HS256 JWT signed with `key` (documentation signs its examples with `secret` and the like). */
export function fakeSignedJwt(label: string, key: string): string {
  const signed = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify({ sub: fake(LOWER_NUM, 12, `${label}-sub`), iat: 1716000000 }))}`;
  return `${signed}.${createHmac('sha256', key).update(signed).digest('base64url')}`;
}

/** A PyPI upload token (a macaroon whose location is pypi.org). */
export function fakePypiToken(label: string, rng?: () => number): string {
  const body = Buffer.concat([
    Buffer.from([0x02, 0x01, 0x08]),
    Buffer.from('pypi.org'),
    Buffer.from([0x02, 0x01]),
    Buffer.from(fake(ALNUM, 120, label, rng)),
  ]);
  return `pypi-${b64url(body)}`;
}

/** A Discord bot token whose first part is the base64 of a numeric snowflake id. */
export function fakeDiscordToken(label: string, rng?: () => number): string {
  const next = rng ?? seededRandom(crc32Unsigned(label));
  const id = '10' + fake('0123456789', 16, `${label}-id`, next);
  return `${b64url(id)}.${fake(BASE64URL, 6, `${label}-ts`, next)}.${fake(BASE64URL, 38, `${label}-hmac`, next)}`;
}

/** An Azure storage account key (base64 of 64 random bytes). */
export function fakeAzureKey(label: string, rng?: () => number): string {
  return Buffer.from(fake(ALNUM, 64, label, rng)).toString('base64');
}

function wrap(base64: string, width: number): string {
  return base64.match(new RegExp(`.{1,${width}}`, 'g'))?.join('\n') ?? base64;
}

/** A PEM/armored private key block. `kind` picks the format; keys are generated fresh. */
export async function fakePrivateKey(kind: 'rsa' | 'ec' | 'pkcs8' | 'encrypted' | 'openssh' | 'pgp'): Promise<string> {
  const { generateKeyPairSync, randomBytes } = await import('node:crypto');
  const dash = '-----';
  switch (kind) {
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'ec':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    case 'pkcs8':
      return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    case 'encrypted':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'sample-passphrase',
      }) as string;
    case 'openssh': {
      const blob = Buffer.concat([Buffer.from('openssh-key-v1\0', 'latin1'), randomBytes(200)]);
      return `${dash}BEGIN OPENSSH PRIVATE KEY${dash}\n${wrap(blob.toString('base64'), 70)}\n${dash}END OPENSSH PRIVATE KEY${dash}\n`;
    }
    case 'pgp': {
      const blob = Buffer.concat([Buffer.from([0xc5, 0x58, 0x04]), randomBytes(160)]);
      return `${dash}BEGIN PGP PRIVATE KEY BLOCK${dash}\n\n${wrap(blob.toString('base64'), 64)}\n=AbCd\n${dash}END PGP PRIVATE KEY BLOCK${dash}\n`;
    }
  }
}

/** The base64 DER (SubjectPublicKeyInfo) of a fresh P-256 public key, as JWKS-less configs paste one. */
export function spkiPublicKeyBase64(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/**
 * A Bitnami SealedSecret value as kubeseal writes it: the 2-byte length of the RSA-OAEP-sealed
 * session key, that block, then the AES-256-GCM ciphertext of `plaintext` (with its tag).
 */
export function fakeSealedSecretValue(plaintext: string, modulusLength: 2048 | 4096 = 2048): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength });
  const sessionKey = randomBytes(32);
  const sealedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, sessionKey);
  // kubeseal uses a zero nonce: each session key seals one value only.
  const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(sealedKey.length);
  return Buffer.concat([length, sealedKey, body]).toString('base64');
}
