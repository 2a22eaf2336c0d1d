/**
 * Known false-positive classes, suppressed by default: documented example keys, placeholders,
 * hashes and digests, UUIDs, lockfile integrity strings, data URIs. Each check is small and
 * named so the rule tests and the labelled corpus can exercise it.
 */

/** Example credentials printed in providers' own documentation. */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'AKIAI44QH8DHBEXAMPLE',
  'ASIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  // Azurite / Azure storage emulator well-known key.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/' + 'K1SZFPTOtr/KBHBeksoGMGw==',
  // Stripe documentation test keys.
  'sk_test_' + '4eC39HqLyjWDarjtT1zdp7dc',
  'sk_test_' + 'BQokikJOvBiI2HlWgH4olfQ2',
  'sk_test_' + '26PHem9AhJZvU623DfE1x4sd',
  // GitHub docs example token.
  'ghp_' + '16C7e42F292c6912E7710c838347Ae178B4a',
  // Slack legacy docs example.
  'xoxb-' + '17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
  // OAuth 2.0 (RFC 6749) and OAuth 1.0 (RFC 5849) examples, copied into every OAuth library's docs and tests.
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  'SplxlOBeZQQYbYS6WxSbIA',
  'czZCaGRSa3F0MzpnWDFmQmF0M2JW',
  'gX1fBat3bV',
  '0685bd9184jfhq22',
  'ad180jjd733klru7',
  'wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D',
  // SendGrid docs-style example.
  'SG.' + 'ngeVfQFYQlKU0ufo8x5d1A.TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr',
]);

/** The jwt.io sample token's signature and payload (the most copied JWT on the internet). */
const DOCUMENTED_JWT_PARTS = ['SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ'];

/** True for a credential copied from a provider's documentation. */
export function isDocumentedExample(secret: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(secret)) return true;
  if (/EXAMPLE(?:KEY)?$/.test(secret)) return true;
  // AWS's docs mark their sample keys inside the body too: `-----BEGIN RSA PRIVATE KEY-----\nEXAMPLEBAAKCAQEA…`.
  if (secret.startsWith('-----BEGIN') && secret.includes('EXAMPLE')) return true;
  return DOCUMENTED_JWT_PARTS.some((part) => secret.includes(part));
}

/** True when `text` holds a documented example credential with more after it (`AccountKey=<Azurite key>x`). */
export function containsDocumentedExample(text: string): boolean {
  for (const example of DOCUMENTED_EXAMPLES) if (example.length >= 20 && text.includes(example)) return true;
  return false;
}

/**
 * Stand-in syntax: masks, ellipses (`…` also as its UTF-8 bytes read one per character, as files
 * are scanned), template and interpolation markers (`#name#`: numpy's f2py templates).
 */
const PLACEHOLDER_MARKS = /\*{3,}|\.{3}|…|\u00e2\u0080\u00a6|<[^>]*>|\$\{|\{\{|\}\}|%\(|#\{|#[a-z_]+#/;

/** Stand-in words (matched as people type words, see {@link hasTypedWord}); `xmpl` marks AWS's documentation ids. */
const PLACEHOLDER_WORDS =
  /x{4,}|example|xmpl|sample|placeholder|dummy|your[-_ ]?|redacted|changeme|change[-_]me|replace[-_ ]?me|insert[-_ ]|lorem|foobar|\bfake|notreal|not[-_]a[-_]real/gi;

/** Extra words that mark a generic assignment's value as a stand-in (not used for prefixed formats). */
const GENERIC_PLACEHOLDER_WORDS = /test|demo|mock|password|passwd|secret|token|default|sample|abc123|qwerty|letmein|hunter2|admin|asdf|1234/gi;

/** Letters as people type a word: `your`, `YOUR`, `Your`; a compound of 6+ letters also `changeMe`, `ChangeMe`. */
const TYPED_LETTERS = /^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)$|^(?=[A-Za-z]{6})[A-Z]?[a-z]+[A-Z][a-z]+$/;

/**
 * True when `words` (a global, case-insensitive pattern) matches `text` somewhere in the case
 * a person types a word in. Random tokens hold such words by chance, in random case: `yOuR`
 * in a JFrog key, `XyZ` in a base64 secret. Matched case-blind, about one real token in a few
 * thousand was taken for a stand-in and dropped.
 */
function hasTypedWord(words: RegExp, text: string): boolean {
  words.lastIndex = 0;
  for (let m = words.exec(text); m !== null; m = words.exec(text)) {
    if (m[0].split(/[^A-Za-z]+/).every((part) => part === '' || TYPED_LETTERS.test(part))) return true;
    words.lastIndex = m.index + 1; // overlapping matches: `yOuRyour`
  }
  return false;
}

/** Longest run of consecutive ascending characters (abcdef, 123456). */
function longestAscendingRun(text: string): number {
  let best = 1;
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    if (text.charCodeAt(i) === text.charCodeAt(i - 1) + 1 && /[A-Za-z0-9]/.test(text[i] ?? '')) run++;
    else run = 1;
    if (run > best) best = run;
  }
  return best;
}

/**
 * True for an obvious stand-in: `<YOUR_TOKEN>`, `${VAR}`, `{{ var }}`, `xxxx`, `changeme`,
 * `your-api-key`, `dummy`, `example`, a value of one repeated character, `abcdefgh…`.
 * `body` is the part after a known token prefix (so `ghp_` itself never counts).
 *
 * @example
 * ```ts
 * isPlaceholder('<YOUR_TOKEN>'); // true
 * ```
 */
export function isPlaceholder(body: string, generic = false): boolean {
  if (PLACEHOLDER_MARKS.test(body) || hasTypedWord(PLACEHOLDER_WORDS, body)) return true;
  if (generic && hasTypedWord(GENERIC_PLACEHOLDER_WORDS, body)) return true;
  const distinct = new Set(body).size;
  if (body.length >= 8 && distinct <= 3) return true;
  if (body.length >= 20 && distinct <= 6) return true;
  // `abcdef`, `123456789`: a run that makes up much of the value. Six ascending digits turn up
  // by chance in one Slack token (three long numbers) in ~7,000, so a short run in a long value
  // does not count.
  const run = longestAscendingRun(body);
  if (run >= 8 || (run >= 6 && run * 3 >= body.length)) return true;
  // The alphabet with its case changed and digits put in (`AB1C2defGHijkLMNo…`, AWS's docs).
  if (body.length >= 12 && longestAscendingRun(body.replace(/[^A-Za-z]/g, '').toLowerCase()) >= 12) return true;
  if (/(.)\1{7,}/.test(body)) return true;
  return false;
}

const HEX_DIGEST = /^(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{56}|[a-f0-9]{64}|[a-f0-9]{96}|[a-f0-9]{128})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGRITY = /^(?:sha(?:1|224|256|384|512)|md5|blake2b?|sha3-\d+)[-:=]/i;
const HASH_CONTEXT = /(?:sha\d*|md5|hash|digest|checksum|integrity|etag|commit|revision|\brev\b|fingerprint|nonce|salt|shasum|oid)/i;

/**
 * True when a value is a digest or identifier rather than a credential: a hex digest of a
 * hash length (md5/sha1/sha256/…) on a line that talks about hashes, a UUID, an integrity
 * string (`sha512-…`, `sha256:…`), or a data URI.
 *
 * @example
 * ```ts
 * isDigestOrIdentifier('sha512-abc…', 'integrity: sha512-abc…'); // true
 * ```
 */
export function isDigestOrIdentifier(value: string, line: string): boolean {
  if (INTEGRITY.test(value)) return true;
  if (UUID.test(value)) return true;
  if (value.startsWith('data:')) return true;
  if (HEX_DIGEST.test(value) && HASH_CONTEXT.test(line)) return true;
  return false;
}

/** True for a line that declares public material (public keys, certificates), never a secret. */
export function isPublicMaterialLine(line: string): boolean {
  return /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|PGP PUBLIC KEY BLOCK|X509 CRL|CERTIFICATE REQUEST)-----|\bssh-(?:rsa|ed25519|dss) AAAA|\becdsa-sha2-nistp\d+ AAAA/.test(line);
}
