import type { SecretRule } from './rule.js';
import { ALNUM, BASE64, BASE64URL, fake, fakeJwt, fakePrivateKey, fakeSignedJwt } from './samples.js';
import { isDocumentedExample } from '../detect/false-positives.js';
import { validateJwt } from '../validators/jwt.js';
import { validatePrivateKey } from '../validators/pem.js';

const D = '-----';

/**
 * A private-key block in PEM/armor form, also when embedded in source with escaped `\n`,
 * quotes and string concatenation. The body is parsed by the validator; stubs are dropped.
 */
function privateKeyRule(id: string, label: string, labelRegex: string, what: string, kind: Parameters<typeof fakePrivateKey>[0], keyword: string): SecretRule {
  return {
    id,
    provider: 'Cryptography',
    description: `${what} private key (${label})`,
    title: `${what.replace(/ \(.*?\)/g, '')} private key`,
    regex: new RegExp(`(${D}BEGIN ${labelRegex}${D}[\\s\\S]{64,20000}?${D}END ${labelRegex}${D})`),
    keywords: [keyword],
    multiline: true,
    skipPlaceholderCheck: true,
    validate: (s) => validatePrivateKey(s),
    severity: 'critical',
    tests: {
      positive: [async () => await fakePrivateKey(kind), async () => `const key = ${JSON.stringify(await fakePrivateKey(kind))};`],
      negative: [`${D}BEGIN ${label}${D}\nMIIEpAIBAAKCAQEA...\n...\n${D}END ${label}${D}`, `${D}BEGIN ${label}${D}\n<your key here: paste the whole block including both marker lines>\n${D}END ${label}${D}`],
    },
  };
}

/** JWTs, private keys of every common format, PuTTY keys. */
export const keyRules: readonly SecretRule[] = [
  {
    id: 'jwt',
    reach: 4096,
    provider: 'JSON Web Token',
    description: 'JSON Web Token whose header decodes to JSON with a signing alg',
    regex: /(?<![A-Za-z0-9_.-])(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_.-])/,
    keywords: ['eyj'],
    validate: (s) => validateJwt(s),
    confidence: 'low',
    skipPlaceholderCheck: true,
    severity: 'medium',
    tests: {
      positive: [`Authorization: Bearer ${fakeJwt('jwt1')}`, `SUPABASE_SERVICE_ROLE_KEY=${fakeJwt('jwt2')}`, `token = "${fakeSignedJwt('jwt3', fake(ALNUM, 32, 'jwt3-key'))}"`],
      negative: [
        `token = "${Buffer.from('{"typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1"}').toString('base64url')}.${fake(BASE64URL, 30, 'nj')}"`,
        `token = "eyJ${fake(ALNUM, 20, 'nj2')}.eyJ${fake(ALNUM, 20, 'nj3')}.${fake(ALNUM, 30, 'nj4')}"`,
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"1"}').toString('base64url')}.${fake(BASE64URL, 20, 'nj5')}`,
        // Signed with the keys documentation uses: PyJWT's README signs with `secret`, jwt.io with `your-256-bit-secret`.
        `encoded = "${fakeSignedJwt('jwt-doc1', 'secret')}"`,
        `Authorization: Bearer ${fakeSignedJwt('jwt-doc2', 'your-256-bit-secret')}`,
      ],
    },
  },
  privateKeyRule('private-key-rsa', 'RSA PRIVATE KEY', 'RSA PRIVATE KEY', 'RSA (PKCS#1)', 'rsa', 'begin rsa private key'),
  privateKeyRule('private-key-ec', 'EC PRIVATE KEY', 'EC PRIVATE KEY', 'Elliptic-curve (SEC1)', 'ec', 'begin ec private key'),
  privateKeyRule('private-key-pkcs8', 'PRIVATE KEY', 'PRIVATE KEY', 'PKCS#8', 'pkcs8', 'begin private key'),
  privateKeyRule('private-key-pkcs8-encrypted', 'ENCRYPTED PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'Encrypted PKCS#8', 'encrypted', 'begin encrypted private key'),
  privateKeyRule('private-key-openssh', 'OPENSSH PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'OpenSSH', 'openssh', 'begin openssh private key'),
  privateKeyRule('private-key-pgp', 'PGP PRIVATE KEY BLOCK', 'PGP PRIVATE KEY BLOCK', 'PGP secret', 'pgp', 'begin pgp private key block'),
  {
    id: 'private-key-base64',
    provider: 'Cryptography',
    description: 'PEM private key encoded in base64 on one line (kubeconfig client-key-data, a Kubernetes TLS Secret\'s tls.key, Helm values)',
    title: 'Base64-encoded private key',
    // `LS0tLS1CRUdJTi` is base64 of `-----BEGIN`; a PEM block starts the value, so it is aligned.
    regex: /(?<![A-Za-z0-9+/])(LS0tLS1CRUdJTi[A-Za-z0-9+/]{80,40000}={0,2})(?![A-Za-z0-9+/=])/,
    keywords: ['ls0tls1crudjti'],
    reach: 40_000,
    skipPlaceholderCheck: true,
    validate: (s) => {
      const pem = Buffer.from(s, 'base64').toString('latin1');
      // Certificates (client-certificate-data) and public keys are published; only private keys count.
      if (!/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/.test(pem) || isDocumentedExample(pem)) return 'invalid';
      return validatePrivateKey(pem);
    },
    severity: 'critical',
    tests: {
      positive: [async () => `    client-key-data: ${Buffer.from(await fakePrivateKey('ec')).toString('base64')}`, async () => `  tls.key: ${Buffer.from(await fakePrivateKey('rsa')).toString('base64')}`],
      negative: [
        `    client-certificate-data: ${Buffer.from(`${D}BEGIN CERTIFICATE${D}\n${fake(BASE64, 256, 'b64-cert').match(/.{1,64}/g)?.join('\n')}\n${D}END CERTIFICATE${D}\n`).toString('base64')}`,
        `    client-key-data: ${Buffer.from(`${D}BEGIN RSA PRIVATE KEY${D}\nMIIEpAIBAAKCAQEA...\n${D}END RSA PRIVATE KEY${D}\n`).toString('base64')}`,
      ],
    },
  },
  {
    id: 'private-key-dsa',
    provider: 'Cryptography',
    description: 'DSA private key (DSA PRIVATE KEY)',
    regex: new RegExp(`(${D}BEGIN DSA PRIVATE KEY${D}[\\s\\S]{64,20000}?${D}END DSA PRIVATE KEY${D})`),
    keywords: ['begin dsa private key'],
    multiline: true,
    skipPlaceholderCheck: true,
    validate: (s) => validatePrivateKey(s),
    severity: 'critical',
    tests: {
      positive: [
        `${D}BEGIN DSA PRIVATE KEY${D}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,${fake('0123456789ABCDEF', 32, 'dek')}\n\n${fake(ALNUM + '+/', 448, 'dsa').match(/.{1,64}/g)?.join('\n')}\n${D}END DSA PRIVATE KEY${D}`,
      ],
      negative: [`${D}BEGIN DSA PRIVATE KEY${D}\n...\n${D}END DSA PRIVATE KEY${D}`],
    },
  },
  {
    id: 'putty-private-key',
    provider: 'Cryptography',
    description: 'PuTTY private key file (PuTTY-User-Key-File-2/3)',
    regex: /(PuTTY-User-Key-File-[23]: [a-z0-9-]+[\s\S]{0,4000}?Private-Lines: \d+\s+[A-Za-z0-9+/=\s]{40,8000}?Private-MAC: [a-f0-9]{40,64})/,
    keywords: ['putty-user-key-file-'],
    multiline: true,
    skipPlaceholderCheck: true,
    severity: 'critical',
    tests: {
      positive: [`PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n${fake(ALNUM, 64, 'pp1')}\n${fake(ALNUM, 20, 'pp2')}\nPrivate-Lines: 1\n${fake(ALNUM, 44, 'pp3')}\nPrivate-MAC: ${fake('0123456789abcdef', 64, 'pp4')}`],
      negative: ['PuTTY-User-Key-File-3: ssh-ed25519 (see the PuTTY docs)'],
    },
  },
];
