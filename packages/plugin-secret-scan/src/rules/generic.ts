import type { RuleContext, SecretRule, Validation } from './rule.js';
import { createPublicKey } from 'node:crypto';
import { ALNUM, BASE64, HEX, LOWER_NUM, UPPER_NUM, fake, fakeSealedSecretValue, spkiPublicKeyBase64 } from './samples.js';
import { charsetOf, shannonEntropy } from '../detect/entropy.js';
import { containsDocumentedExample, isDigestOrIdentifier, isPlaceholder } from '../detect/false-positives.js';

// Keys whose name says "not the secret itself": ids, names, lengths, urls, types, flags…
const NOT_SECRET_KEY =
  /(?:^|[_.-]|[a-z])(?:id|ids|name|names|type|types|url|uri|urls|path|paths|file|files|dir|length|len|size|count|min|max|format|policy|field|label|prompt|header|headers|endpoint|expiry|expires|expiration|ttl|regex|pattern|env|var|mode|method|provider|kind|version|hint|description|enabled|required|hash|algorithm|alg|scope|scopes|limit|timeout|storage|store|location|ref|refs|rotation|rotate|mask|placeholder|example|question|reset|strength|confirm|confirmation|hint|link|params|arg|args|argument|hdr|hashes|encryption|count|index|usage|budget|sha\d*|md5|digest|checksum|role|roles|message|msg|text|title|caption|warning|error|arn|used|date|time|timestamp|signature)$/i;
const NOT_SECRET_NAME = /public|publishable|pub[_.-]?key|author|authority|authoriz|max[_.-]?tokens|token[_.-]?(?:type|count|limit|usage|endpoint|url)|tokeniz|csrf|xsrf|captcha|passwordless|forgot|secretsmanager|secret[_.-]?(?:ref|name|arn)|cache[_.-]?key|sort[_.-]?key|primary[_.-]?key|foreign[_.-]?key|partition[_.-]?key|idempotency|turnstile|recaptcha|sitekey|site[_.-]?key|nonce|passthrough|pass[_.-]?through|bypass|compass|passive|passenger|passport|passed|passes|passing|encompass|minipass|unauth|getpass|(?:next|continuation|page|paging|change|update|resume|sync|cursor)[_.-]?token/i;

/**
 * Names ending in `key` that name a key into a table, cache, map, index or translation, a
 * keyboard key, or public material (after gitleaks' generic-api-key allow-list).
 */
const NOT_SECRET_KEY_NAME =
  /(?:^|[_.-]|[a-z0-9])(?:bucket|foreign|hot|idx|index|natural|primary|pub|public|schema|sequence|sort|partition|range|hash|row|cache|lookup|map|object|state|query|i18n|translation|label|message|msg|locale|dedupe?|dedup|idempotency|group|shard|route|routing|column|field|unique|composite|surrogate|host|gpg|pgp|entry|item|node|react|redis|registry|setting|settings|config|env|storage|dict|join|parent|child|search|s3|object|blob|file|result|output|input|menu|tab|short|shortcut|accel|accelerator|modifier)[_.-]?key$/i;

const PASSWORD_KEY = /pass(?:word|wd|phrase)?|pwd/i;

/** The words that make a key sound secret. */
const KEYWORD_ALTERNATION =
  'pass(?:word|wd|phrase)?|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|credentials?|auth';
const KEYWORD_IN_KEY = new RegExp(KEYWORD_ALTERNATION, 'gi');

/**
 * A path name: words in lower case or capitalised (`db_password`, `.ssh`, `JohnSmith`,
 * `John.Smith2`), or in capitals. Written so that a name splits into words one way only, which
 * keeps the match linear on long values that are no path.
 */
const PATH_NAME = '(?:(?=[^/])\\.?(?:[a-z0-9]+)?(?:[A-Z][a-z]+[0-9]*|[._-](?:[a-z0-9]+|[A-Z][a-z]+[0-9]*))*|[A-Z0-9._-]+)';
const ABSOLUTE_PATH = new RegExp(`^(?:/${PATH_NAME})+/?$`);

/**
 * An absolute POSIX path (`/run/secrets/db_password`, `/Users/JohnSmith/.ssh/id_rsa`). One base64
 * secret in 64 starts with `/` too; its random mixed-case parts (`98PdrzcioIIXYzEkSiotWwy`: lone
 * capitals) are no path names.
 */
function isAbsolutePath(value: string): boolean {
  return ABSOLUTE_PATH.test(value);
}



/**
 * True when one of the key's secret words is written as a word: in one case, capitalised, or
 * camel-cased at its own parts (`apiKey`, `APIKey`). Perl's `OPpASSIGN_CV` only has the letters
 * of `pass` across a case change (`OPp` + `ASSIGN`).
 */
function namesSecretWord(key: string): boolean {
  for (const m of key.matchAll(KEYWORD_IN_KEY)) {
    const word = m[0].replace(/[_.-]/g, '');
    if (/^[a-z]+$|^[A-Z]+[a-z]*$|^[A-Z]?[a-z]+(?:[A-Z][a-z]+)*$/.test(word)) return true;
  }
  return false;
}

/** `value%23still-query` → `value#still-query`; text that is no valid escape stays as it is. */
function percentDecoded(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Languages whose string literals are always quoted (an unquoted value is a name or an expression). */
const QUOTING_LANGUAGE = /\.(?:py|pyi|js|mjs|cjs|jsx|ts|mts|cts|tsx|java|kt|kts|scala|go|rs|c|h|cc|cpp|cxx|hpp|hh|cs|swift|rb|php|dart)$/i;

function isQuotingLanguage(file: string | undefined): boolean {
  return file !== undefined && QUOTING_LANGUAGE.test(file);
}

/** A Kubernetes bootstrap token (`<6>.<16>` lower-case letters and digits, with a digit in it). */
function isBootstrapToken(value: string): boolean {
  return /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(value) && /[0-9]/.test(value);
}

/** Values that are references, code or config plumbing rather than literal secrets. */
function isReference(value: string, key: string): boolean {
  if (/^[$%@!&*#\[({<=]|^\\\$/.test(value)) return true; // $VAR, %VAR%, !Ref, &anchor, *alias, {…}
  if (/[()]/.test(value)) return true; // function calls
  if (/^(?:true|false|null|nil|none|undefined|yes|no|on|off|required|optional|string|str|bytes|int|bool|object|any|env|secret|token)$/i.test(value)) return true;
  // process.env.X!, cfg["k"], entry?.token; not a kubeadm bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`, in kubeconfigs)
  if (/^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*|\[['"]?\w+['"]?\])+!?$/.test(value) && !/\d{3}/.test(value) && !isBootstrapToken(value)) return true;
  if (/^_?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return true; // ENV_VAR_NAME, _PRIVATE_CONSTANT
  if (/^[A-Za-z_]\w*(?:::~?[A-Za-z_]\w*)+$/.test(value)) return true; // a C++ qualified name: AArch64::AEK_PAUTH
  if (/^[A-Z][a-z]+(?:-[A-Z][a-z]+)+$/.test(value)) return true; // an HTTP header name: Proxy-Authorization
  if (value.startsWith('?') && !PASSWORD_KEY.test(key)) return true; // `?InterpolationInJSX`: a state name; tokens never start so
  if (value.endsWith(':') && !PASSWORD_KEY.test(key)) return true; // `X-Authentication-Warning: host.example:`, a label
  if (/^[A-Za-z_$][\w$]*(?:\.[\w$]+)*=[A-Za-z_$!]/.test(value)) return true; // minified code: `a.b=c.d=…`
  if (/^\w+(?:\|\w+)+$/.test(value)) return true; // the allowed values of a setting: `true|false`
  if (/^(?:\.\.?\/|~\/|[A-Za-z]:\\)/.test(value) || isAbsolutePath(value) || /\.(?:pem|key|json|txt|p12|pfx|crt|cer|yml|yaml|env|ini|cfg|conf|toml|jks|keystore|gpg|asc|php|py|rb|js|mjs|cjs|ts|go|java|jar|war|ear|html|xml|so|dll|zip|tar|gz|tgz|bz2|xz|zst|7z|rar|whl|exe|msi|dmg|iso|img|ova|ovf|vmdk|deb|rpm|apk|csv|log|pdf|png|jpe?g|gif|svg|sh|ps1|bat)$/i.test(value)) return true;
  if (value.includes('://')) return true;
  if (/^arn:aws[\w-]*:/.test(value)) return true; // an AWS resource name: `arn:aws:kms:…:key/…`
  if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/[\w./-]*$/.test(value)) return true; // a host and path: `authentication.gke.io/v1alpha1`
  if (/^[A-Za-z][A-Za-z.-]*\/v\d+(?:(?:alpha|beta)\d*)?$/.test(value)) return true; // a versioned name: `psrFingerprint/v1`
  // A resource name of words (`projects/PROJECT_ID/locations/LOCATION/keyRings/KEYRING`): random
  // base64 has such four digit-free parts about once in 20,000 values.
  if (/^[A-Za-z_-]+(?:\/[A-Za-z_-]+){3,}$/.test(value)) return true;
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return true; // a date or timestamp
  if (/^(?:pk[._]|eyJ)/.test(value)) return true; // publishable keys; JWTs are judged by the jwt rule
  if (/^\d+(?:\.\d+)*$/.test(value)) return true;
  const bare = (name: string): string => name.replace(/[_-]/g, '').toLowerCase();
  if (bare(value) === bare(key) || bare(value) === bare(key.split('.').pop()!)) return true; // exports.apiToken = apiToken, ["OAuthRequirements"] = _OAUTHREQUIREMENTS
  // camelCase, snake_case or dotted words, also with digits (`google_oauth2_credentials`) or a
  // version (Maven's `google-auth-library-credentials:1.3.0`)
  if (/^[a-z]+(?:[A-Z]+[a-z]+)+$/.test(value) || /^_*[a-z]+\d*(?:[-_.@:][a-z]+\d*)+(?::\d+(?:\.\d+)*)?$/.test(value)) return true;
  if (/^--[a-z]/.test(value)) return true; // a command-line flag named as a setting's value: `--with_passphrase`
  if (/^[A-Za-z_$][\w$]*:$/.test(value)) return true; // a parameter or key name: `(credentials: …`
  return false;
}

/** Capitalised words, optionally after a module path: `BinaryLike`, `URLPatternComponentResult`, `_EllipticCurvePrivateKey`. */
const CAPITALISED_WORDS = /^_?(?:[a-z_][a-z0-9_]*\.)*_?(?:[A-Z]+(?=[A-Z][a-z])|[A-Z][a-z]+)+[A-Z]*$/;

/**
 * A type or class name where a value belongs: `password: BinaryLike,` in a signature,
 * `readonly credentials: RequestCredentials`, `private_key: "_EllipticCurvePrivateKey"`.
 * Names are words: long (5+ letters per capital), mostly lower case, each with a vowel. Random
 * letters take that shape about once in 10,000 16-character tokens, fewer as they grow (tested).
 */
export function isTypeName(value: string): boolean {
  if (!CAPITALISED_WORDS.test(value)) return false;
  if (wordsShape(value)) return true;
  // A leading acronym (`SSHPrivateKeyTypes`): the three or more words after it must have the
  // shape alone (two would let ~1 random 16-letter token in 25,000 more through).
  const acronym = /^_?[A-Z]{3,5}(?=[A-Z][a-z])/.exec(value);
  const rest = acronym === null ? '' : value.slice(acronym[0].length);
  return (rest.match(/[A-Z]/g)?.length ?? 0) >= 3 && wordsShape(rest);
}

/** Letters mostly in lower case, 5+ letters per capital, a vowel in every word of 3+ letters. */
function wordsShape(value: string): boolean {
  const letters = value.replace(/[^A-Za-z]/g, '').length;
  const lower = value.replace(/[^a-z]/g, '').length;
  const capitals = value.match(/[A-Z]+/g)?.length ?? 0;
  // Words of one or two letters need no vowel: `ShardId`, `BackupArn`, `AndGoogle`.
  return letters >= 5 * capitals && lower * 10 >= letters * 7 && (value.match(/[a-z]+/g) ?? []).every((word) => word.length <= 2 || /[aeiouy]/.test(word));
}

/**
 * A type name read as the value: never a token; a password can be capitalised words
 * (`CorrectHorseBattery`), so for a password key only an unquoted name that code punctuation
 * follows counts (`password: BinaryLike,`).
 */
function isTypeAnnotation(value: string, key: string, m: RegExpExecArray): boolean {
  if (!isTypeName(value)) return false;
  if (!PASSWORD_KEY.test(key)) return true;
  const span = m.indices?.groups?.['secret'];
  if (!span) return false;
  const quoted = /["'`]/.test(m.input[span[0] - 1] ?? '');
  return !quoted && /^\s*[,;)|&>\]={]/.test(m.input.slice(span[1])); // `{`: `struct WrapperPass : ImmutablePass {`
}

/** A base64 value (a Kubernetes Secret's `data:`) that decodes to a stand-in such as `password`. */
function decodesToPlaceholder(value: string): boolean {
  if (value.length < 8 || value.length > 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const text = Buffer.from(value, 'base64').toString('latin1');
  if (!/^[\x20-\x7e]+$/.test(text)) return false;
  return isPlaceholder(text, true) || /^(?:admin|root|postgres|guest|user|pass|secret|changeit)$/i.test(text);
}

/**
 * A Bitnami SealedSecret value (`encryptedData:`): base64 of a 2-byte RSA block length (256,
 * 384 or 512 for 2048-, 3072- and 4096-bit keys), the RSA-OAEP-sealed session key and the
 * AES-GCM ciphertext. Only the cluster's controller can open it, so it is no leak. A random
 * base64 secret of 300+ characters starts with one of those lengths about once in 22,000.
 */
function isSealedSecretCiphertext(value: string): boolean {
  if (value.length < 300 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const head = Buffer.from(value.slice(0, 4), 'base64');
  const rsaBlock = head.readUInt16BE(0);
  return rsaBlock === 256 || rsaBlock === 384 || rsaBlock === 512;
}

/** A base64 DER public key (SubjectPublicKeyInfo or PKCS#1): published material, never a secret. */
function isPublicKeyDer(value: string): boolean {
  // An SPKI or PKCS#1 public key starts with a DER SEQUENCE (`MF…`, `MI…`, `MC…`, `MH…`).
  if (value.length < 40 || !/^M[CFGHI][A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const der = Buffer.from(value, 'base64');
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      createPublicKey({ key: der, format: 'der', type });
      return true;
    } catch {
      // not this encoding
    }
  }
  return false;
}

function characterClasses(value: string): number {
  return (/[a-z]/.test(value) ? 1 : 0) + (/[A-Z]/.test(value) ? 1 : 0) + (/[0-9]/.test(value) ? 1 : 0) + (/[^A-Za-z0-9]/.test(value) ? 1 : 0);
}

/** Entropy floors per character set, capped for short values (their maximum entropy is log2(length)). */
const FLOOR = { hex: 3.0, alnum: 3.5, base64: 3.7, other: 3.5 } as const;

/**
 * Judge the value of a `secret-sounding-key = value` assignment: references, placeholders,
 * digests, UUIDs and low-entropy words are dropped; password keys accept human passwords
 * (two character classes, 8+ characters), other keys need random-looking values.
 */
export function assessAssignment(key: string, raw: string, line: string): Validation {
  if (NOT_SECRET_NAME.test(key) || NOT_SECRET_KEY.test(key)) return 'invalid';
  // Trailing punctuation and a sentence's full stop (an ellipsis stays: `pypi-AgEI…...` is cut short)
  const value = raw.replace(/[;,]+$/, '').replace(/(?<!\.)\.$/, '');
  if (/[[\]<>{}]/.test(value)) return 'invalid'; // type annotations, indexing, templates
  if (decodesToPlaceholder(value) || containsDocumentedExample(value) || isSealedSecretCiphertext(value) || isPublicKeyDer(value)) return 'invalid';
  if (/anonymous/i.test(value)) return 'invalid'; // `-auth=anonymous:$FROM_EMAIL`: an anonymous login, by convention open
  if (isReference(value, key)) return 'invalid';
  if (isPlaceholder(value, true) || isDigestOrIdentifier(value, line)) return 'invalid';
  // A word and a number (`stream-74429`, `release2024`) reads as an identifier or sample value.
  if (/^[A-Za-z][a-z]+[-_.]?\d{1,8}$|^\d{1,8}[-_.]?[A-Za-z][a-z]+$/.test(value)) return 'invalid';
  const entropy = shannonEntropy(value);
  if (PASSWORD_KEY.test(key)) {
    if (value.length < 8) return 'invalid';
    if (characterClasses(value) < 2) return 'invalid';
    return entropy >= (characterClasses(value) >= 3 ? 2.5 : 2.8) ? 'unknown' : 'invalid';
  }
  if (value.length < 16) return 'invalid';
  const charset = charsetOf(value);
  if (charset === 'hex' && !(/[0-9]/.test(value) && /[a-f]/i.test(value))) return 'invalid';
  if (charset !== 'hex' && characterClasses(value) < 2) return 'invalid';
  const floor = Math.min(FLOOR[charset], Math.log2(value.length) - 0.7);
  return entropy >= floor ? 'unknown' : 'invalid';
}


/** The characters a generic value is made of (the rule regex's `secret` class), from the start. */
const VALUE_RUN = /^[^\s"'`\\;,)]*/;

/** What surrounds a generic match: the character before the key, the operator, where the value ends, quotes. */
interface MatchContext {
  before: string;
  operator: string;
  end: number;
  quoted: boolean;
}

function matchContext(secret: string, key: string, m: RegExpExecArray): MatchContext {
  const end = m.index + m[0].length;
  return {
    before: m.input[m.index - 1] ?? '',
    operator: m[0].slice(key.length).trimStart()[0] ?? '',
    end,
    quoted: /["'`]/.test(m.input[end - secret.length - 1] ?? ''),
  };
}

/**
 * True when the generic rule's match is code, prose or a name rather than a secret-sounding key
 * and its value. Each case is a false alarm seen in real code (node_modules, LLVM's headers, the
 * Google Cloud SDK, awscli); the rule table's negative samples keep them.
 */
function isNotAnAssignment(secret: string, key: string, m: RegExpExecArray, { before, operator, end, quoted }: MatchContext, context: RuleContext): boolean {
  // `'KEY', 'value'` counts only as call arguments (define('DB_PASSWORD', '…'), setenv("TOKEN", "…")),
  // not in lists such as ['secret-scan', '--update-baseline'].
  if (/^\\?["'`]?\]?\s*,/.test(m[0].slice(key.length)) && !/\(\s*["']$/.test(m.input.slice(0, m.index))) return true;
  // C++: `Builder::addExtension` (scope, not a key and its value), `using PassCtor = …` (a type alias).
  if (secret.startsWith(':') || /\busing\s+$/.test(m.input.slice(Math.max(0, m.index - 16), m.index))) return true;
  if (isTypeAnnotation(secret, key, m)) return true;
  // `urn:ietf:params:oauth:grant-type:…`: a name inside a colon-separated identifier, no key.
  if (before === ':' && operator === ':') return true;
  // `"AWS::AppSync::ApiKey": …`: the last part of a `::`-qualified type name, not a key.
  if (before === ':' && m.input[m.index - 2] === ':') return true;
  // `**  ONEPASS_OFF:    Two-pass approach - use a FIFO`: a word that more words follow is prose
  // (a comment, documentation), not a value. Only after `:` and unquoted: `PGPASSWORD=… psql`
  // is a command after a real secret.
  if (operator === ':' && !quoted && /^[A-Za-z]+(?:['-][A-Za-z]+)*\.?$/.test(secret) && /^ +[A-Za-z]+(?![\w$])/.test(m.input.slice(end))) return true;
  // `credential.https://host/.helper=`: a URL after its scheme, read as `key: value`; `v1/oauth:x`: a path.
  if ((operator === ':' && secret.startsWith('//')) || before === '/') return true;
  // In code, a literal is quoted: an unquoted name after a password key in a Python stub, or
  // `auth = OAuth2ClientAuth`, is a type or a variable. (Shell, YAML, .env and properties values need no quotes.)
  if (!quoted && isQuotingLanguage(context.file) && /^[A-Za-z_$][\w$.]*$/.test(secret)) return true;
  if (operator === ':' && !quoted) {
    // `key: Type = value` (Python), `(private_key: KeyTypes)`: an annotation, not a value.
    if (/^\s*(?:=[^=]|\))/.test(m.input.slice(end))) return true;
    // `package.module.auth:AddAuthFieldMask`: an entry point, a module and a name in it.
    if (key.includes('.') && m[0].length === key.length + 1 + secret.length && /^(?:[A-Z][a-z]+){2,}$/.test(secret)) return true;
  }
  // `badge.svg?token=…`: an image URL's token is published in READMEs by design (Codecov, Openbase).
  if ((before === '?' || before === '&') && /\.(?:svg|png|gif|jpe?g|webp)$/i.test(m.input.slice(0, m.index - 1).split(/[\s"'(<=]/).pop() ?? '')) return true;
  return false;
}

/**
 * What follows a key name in an assignment, up to and including the value: closing quote or
 * bracket, an operator (`=`, `:`, `:=`, `=>`, `||=`, `??=`, `->`, or `,` between quoted call
 * arguments), an optional call or `ConvertTo-SecureString`, an optional quote, and the value.
 */
const ASSIGNED_VALUE = `\\\\?["'\`]?\\]?\\s*(?::=|=>|\\|\\|=|\\?\\?=|=|:|->|(?<=["']\\s*),)\\s*(?:[A-Za-z]*\\(|ConvertTo-SecureString\\s+(?:-String\\s+)?)?\\s*(?:\\\\?["'\`])?(?<secret>[^\\s"'\`\\\\;,)]{6,256})`;

/** Judge a generic assignment match: code and prose are no assignment, then the value itself. */
function assessMatch(secret: string, m: RegExpExecArray, context: RuleContext): Validation {
  const key = m.groups?.['key'] ?? '';
  const around = matchContext(secret, key, m);
  if (isNotAnAssignment(secret, key, m, around, context)) return 'invalid';
  // A value longer than the 256 characters the regex takes is judged whole, as far as the
  // scan's window reaches (~400 characters past the keyword): documented tokens often mark
  // themselves `…EXAMPLE` at their end, past the cut.
  const whole = secret.length === 256 ? secret + VALUE_RUN.exec(m.input.slice(around.end))![0] : secret;
  // `?token=…&callback=…`: a URL parameter's value ends at the next parameter.
  const value = (around.before === '?' || around.before === '&') && around.operator === '=' ? whole.split(/[&#]/)[0]! : whole;
  return assessAssignment(key, value, m.input);
}

/** Generic detection: high-entropy values assigned to secret-sounding keys. */
export const genericRules: readonly SecretRule[] = [
  {
    id: 'generic-secret-assignment',
    provider: 'Generic',
    description: 'High-entropy value assigned to a secret-sounding key (password, token, secret, api_key, auth, credential …) in code, config, .env, YAML, JSON, properties, Terraform or notebooks',
    regex: new RegExp(`(?<![A-Za-z0-9_.-])(?<key>[A-Za-z0-9_.-]*(?:${KEYWORD_ALTERNATION})[A-Za-z0-9_.-]*)${ASSIGNED_VALUE}`, 'i'),
    keywords: ['pass', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key', 'api.key', 'access_key', 'accesskey', 'access-key', 'auth', 'private_key', 'privatekey', 'private-key', 'signing', 'encryption', 'master', 'credential'],
    // Key names sit just before their keyword; values follow within a line.
    before: 64,
    confidence: 'low',
    skipPlaceholderCheck: true,
    validate: (secret, m, context) => (namesSecretWord(m.groups?.['key'] ?? '') ? assessMatch(secret, m, context) : 'invalid'),
    severity: 'medium',
    tests: {
      positive: [
        `DB_PASSWORD=Tr0ub4dor&3x!`, // psr-allow (test sample)
        `  api_key: "${fake(ALNUM, 32, 'gen1')}"`,
        `"client_secret": "${fake(BASE64, 40, 'gen2')}",`,
        `app.secret_key = '${fake(HEX, 48, 'gen3')}'`,
        `db.password=${fake(ALNUM, 14, 'gen4')}9`,
        `  "source": ["API_TOKEN = \\"${fake(ALNUM, 40, 'gen5')}\\"\\n"]`,
        `  password = "${fake(ALNUM, 12, 'gen6')}7Q"`,
        `const authToken = '${fake(ALNUM, 36, 'gen7')}';`,
        `define( 'DB_PASSWORD', 'Xy9${fake(ALNUM, 12, 'gen8')}' );`,
        `  password: ${Buffer.from('Pw-' + fake(ALNUM, 16, 'gen9')).toString('base64')}`,
        'password: UslUHICdNhz7', // psr-allow (test sample)
        '"password": "10wG1B1Kww!"', // psr-allow (test sample)
        'password: CorrectHorseBatteryStaple', // psr-allow (test sample: a passphrase is capitalised words, not a type)
        `curl "https://api.acme.io/v1/export?token=${fake(ALNUM, 32, 'gen-url')}&format=csv"`,
        'PGPASSWORD=Tr0ub4dor-x psql -h db.internal', // psr-allow (test sample: a command follows a secret)
        `password: Summer-rain`, // psr-allow (test sample)
        `        "refresh_token": "${fake(BASE64, 300, 'gen-long')}",`,
        `const apiKey = "${fake(ALNUM, 32, 'gen-camel')}";`,
        `APIKey: ${fake(ALNUM, 32, 'gen-caps')}`,
        `$password = ConvertTo-SecureString "${fake(ALNUM, 32, 'gen-ps')}" -AsPlainText -Force`,
        // A kubeconfig user's bootstrap token reads like `object.property`, but has digits in it.
        `    token: ${fake(LOWER_NUM, 6, 'gen-boot1')}.${fake(LOWER_NUM, 16, 'gen-boot2')}`,
      ],
      negative: [
        'password: ${DB_PASSWORD}',
        'api_key = os.environ["API_KEY"]',
        'token: {{ .Values.token }}',
        'DB_PASSWORD=changeme',
        'password: "<your-password>"',
        '$password = ConvertTo-SecureString $plain -AsPlainText -Force',
        `secret_key_hash = "${fake(HEX, 64, 'genh')}"`,
        `"integrity": "sha512-${fake(BASE64, 86, 'geni')}=="`,
        'api_key = "your-api-key"',
        `token_url = "https://auth.example.org/oauth/token"`,
        `auth_token = "550e8400-e29b-41d4-a716-446655440000"`,
        'password = getpass.getpass("Password: ")',
        'SECRET_KEY = settings.SECRET_KEY',
        'max_tokens: 4096',
        'password_min_length: 12',
        'author = "Jane Doe"',
        'token = token.strip()',
        'public_key = "' + fake(BASE64, 44, 'pub') + '"',
        'PASSWORD=password123',
        'access_token = request.args.get("access_token")',
        'password: !vault |',
        'deploy_secret: "credential-30272"',
        '    password: Optional[str] = None',
        '  token: process.env.GITHUB_TOKEN!,',
        "password = settings.DATABASES['default']['PASSWORD']",
        '  password: cGFzc3dvcmQ=',
        '  "password": "$2b$12$KIXQJ8rD6dYl7fX1mWq0UuR2pYvV6mJbS0tQe9Zk1lH3aN5cW7oGi",',
        'type Config struct { Password string `json:"password"` }',
        'AUTH_TOKEN=$(cat /run/secrets/token)',
        "  secretName: db-credentials",
        'return jwt.decode(token, key=settings.JWT_KEY, algorithms=["HS256"])',
        "await psr(['secret-scan', '--update-baseline'], { cwd: dir });",
        "const pair = ['api_token', 'Zq9XbT4mVc7LpR2nWk8YsH3d'];",
        // Code seen in node_modules: type annotations, optional chaining, re-exports, tokenizers, CLI arguments, message ids.
        'function createCipher(algorithm: string, password: BinaryLike, options?: TransformOptions): Cipher;',
        '    password: URLPatternComponentResult;',
        '    readonly credentials: RequestCredentials',
        '  combineChannelCredentials: (channelCredentials: ChannelCredentials) => ChannelCredentials;',
        '      pass: matchResult?.pass ?? false,',
        '  authIdent = registryEntry?.npmAuthIdent;',
        'exports.ZipPassThrough = ZipPassThrough;',
        'type TemplateLiteralToken = NoSubstitutionTemplateLiteral | PseudoLiteralToken;',
        'nextLastSignificantToken = "?NonExpressionParenKeyword";',
        'lastSignificantToken = "?InterpolationInJSX";',
        'wasm-opt lightningcss_node.wasm --asyncify --pass-arg=asyncify-imports@env.await_promise_sync',
        '"A_spread_argument_must_be_passed_to_a_rest_parameter_2556": "Argument",',
        // ...and in Python's site-packages: forward references, private constants, header names, URNs, RFC examples.
        '    backend: "Backend", private_key: "_EllipticCurvePrivateKey", data: bytes',
        '        private_key: _ALLOWED_PRIVATE_KEY_TYPES,',
        '            proxy_auth_hdr = "Proxy-Authorization"',
        '            GET /revoke?token=agabcdefddddafdd&callback=package.myCallback HTTP/1.1',
        "     'grant_type=urn:ietf:params:oauth:grant-type:device_code&scope=hello+world'",
        '            "access_token":"2YotnFZFEjr1zCsicMWpAA",',
        // ...and in /etc and /usr/share/doc: settings that name a method or allowed values, a mail header, minified code.
        '#password_encryption = scram-sha-256		# scram-sha-256 or md5',
        '# com.sun.management.jmxremote.password.toHashes = true|false',
        'X-Authentication-Warning: wijiji.santafe.edu: set sender to foo@bar.example using -f',
        'Object.defineProperty(P,"__esModule",{value:!0});P.Minipass=P.isWritable=P.isReadable=P.isStream=void 0;',
        // ...and in better-sqlite3's sqlite3.c and js-sdsl's README: prose after an enum name, a badge's public token.
        '    **  ONEPASS_OFF:    Two-pass approach - use a FIFO for rowids/PK values.',
        '<img src="https://badges.openbase.com/js/rating/js-sdsl.svg?token=fh3LMNOV+JSWykSjtg1rA8kouSYkJoIDzGbvaByq5X0=" alt="Rate">',
        // ...and in LLVM's C++ headers and Perl's modules: scopes, aliases, base classes, a name across a case change, anonymous logins.
        'struct ExternalAAWrapperPass : ImmutablePass {',
        '// Target could set CGPassBuilderOption::MISchedPostRA to true to achieve',
        'using FunctionPassCtor = ScheduleDAGCtor;',
        'using BeforeSkippedPassFunc = void(StringRef, Any);',
        '  typename AnalysisPassMapT::const_iterator PI = AnalysisPasses.find(ID);',
        'AARCH64_ARCH_EXT_NAME("pauth",        AArch64::AEK_PAUTH,       "+pauth",        "-pauth")',
        "@{$bits{sassign}}{7,6,1,0} = ('OPpASSIGN_CV_TO_GV', 'OPpASSIGN_BACKWARDS', $bf[1], $bf[1]);",
        '                        "-auth=anonymous:$FROM_EMAIL",',
        "    $pass = '-anonymous@'",
        // ...and in the Google Cloud SDK: docstrings, names with short words, resource and module paths, digests.
        '          password: Optional. The database native user\'s password.',
        '          oauth2ClientCredentials: Oauth2ClientCredentials.',
        '      "input_token": "ExclusiveStartShardId",',
        '      credentials: LegacyAndGoogleAuthCredentialsUnionType,',
        "  _CREDENTIALS_KEY = 'google_oauth2_credentials'",
        "      'x-goog-copy-source-encryption-key-sha256': decryption_key.sha256,",
        "    'credential.https://source.developers.google.com/.helper=',",
        "  'google\\appengine\\getaccesstokenrequest' => 'google/appengine/api/app_identity/app_identity_service_pb.php',",
        ' * Google Auth Library for Java - Credentials (com.google.auth:google-auth-library-credentials:1.3.0 - https://github.com/googleapis)',
        "ALLOW_UNAUTH_POLICY_BINDING_ROLE = 'roles/run.invoker'",
        "    oauth2client.client.OAuth2Credentials: _convert_oauth2_credentials,",
        '_CERT_PROVIDER_COMMAND_PASSPHRASE_OPTION = "--with_passphrase"',
        'DESCRIPTOR.message_types_by_name["OAuthRequirements"] = _OAUTHREQUIREMENTS',
        "    relative_path='v1/oauth:processOAuthCallback',",
        '    http_basic_auth_config: HttpBasicAuthConfig = proto.Field(',
        '    def sign(self, private_key: SSHCertPrivateKeyTypes) -> SSHCertificate:',
        "    pass_message = 'Reachability Check {0}.'.format('passed' if first_run else 'failed')",
        '  - googlecloudsdk.command_lib.web_security_scanner.auth:AddAuthFieldMask',
        '    @mock.patch("getpass.getpass", return_value="foo")',
        // ...and in the AWS CLI's examples and cfn-lint: resource names, pagination tokens, timestamps, type names.
        '        "encryptionKey": "arn:aws:kms:us-west-2:417498243647:key/c9fe2447-0795-4fda-afbe-8464574ae162",',
        '    "NextToken": "abCDeFGhiJKlmnOPqrSTuvwxYZ1aBCdEFghijK7LM51nOpqRSTuv3WxY3ZabC5dEFGhI2Jk3LmnoPQ6RST9"',
        '          <nextToken>q5GwEl5bMGjKq6YmhpDLJ7hEwyWU54jJC2GQ93n61vZV4s1+fzZ674xzvUlTihrl</nextToken>',
        '            "PasswordLastUsed": "2016-09-08T21:47:36Z",',
        '    "AWS::AppSync::ApiKey": "3d104ea0be48564b",',
        '            "passphrase": "AB1C2defGHijkLMNo3PqQRstUvwxyzaBCDEfghh4ijklMN5opqrStuVWxyzAbCDEfghIJ"',
        // ...and in the Google Cloud SDK: API groups, resource names in help texts, OAuth 1 signatures (sent in the clear).
        "AUTH_VERSION_1_ALPHA = 'authentication.gke.io/v1alpha1'",
        '  $ {command} mytopic --topic-encryption-key=projects/PROJECT_ID/locations/KMS_LOCATION/keyRings/KEYRING/cryptoKeys/KEY',
        '    oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
        // A documented session token marks itself past the 256 characters the regex takes.
        `        "refresh_token": "${fake(BASE64, 300, 'gen-long-doc')}EXAMPLE=",`,
        // A SealedSecret's encryptedData: only the cluster's controller can open it.
        () => `    db-password: ${fakeSealedSecretValue('Tr0ub4dor&3x!')}`, // psr-allow (test sample)
        // A base64 DER public key is published, whatever the name it is given.
        () => `  auth_key: ${spkiPublicKeyBase64()}`,
      ],
    },
  },
  {
    id: 'generic-key-assignment',
    provider: 'Generic',
    description: 'High-entropy value assigned to a name that ends in the word key (STRIPE_KEY=, app.hmac.key:, stripeKey =, key:) and names no other secret word',
    // Case-sensitive so that `key` is a word of the name: `_key`, `.key`, `-key`, `Key` after a
    // lower-case letter or digit, or the whole name; `monkey`, `hotkey`, `keyboard` are not.
    regex: new RegExp(`(?<![A-Za-z0-9_.-])(?<key>[A-Za-z0-9_.-]*(?:[_.-](?:key|Key|KEY)|[a-z0-9]Key)|key|Key|KEY)${ASSIGNED_VALUE}`),
    keywords: ['key'],
    before: 64,
    confidence: 'low',
    skipPlaceholderCheck: true,
    validate: (secret, m, context) => {
      const key = m.groups?.['key'] ?? '';
      // A name with a secret word (`SECRET_KEY`, `api_key`) is the generic-secret-assignment rule's to judge.
      if (namesSecretWord(key) || NOT_SECRET_KEY_NAME.test(key)) return 'invalid';
      // In prose the name is the words before it: `Release GPG key: F3EF…` is a fingerprint.
      const wordBefore = /([A-Za-z0-9]+) $/.exec(m.input.slice(Math.max(0, m.index - 32), m.index))?.[1];
      if (wordBefore !== undefined && NOT_SECRET_KEY_NAME.test(`${wordBefore}_${key}`)) return 'invalid';
      // Keys into tables, caches, maps and translations hold words and ids; a key (as gitleaks'
      // generic-api-key asks) has letters and digits, also once URL escapes (`%23`) are undone.
      const plain = percentDecoded(secret);
      if (!/[A-Za-z]/.test(plain) || !/[0-9]/.test(plain) || /^0x[0-9a-f]+$/i.test(plain)) return 'invalid';
      // A namespaced name: IAM condition keys (`ec2:InstanceType`, `aws:SourceIp`), `xmlns:Prefix`.
      if (/^[a-z][a-z0-9]*:[A-Za-z]/.test(plain)) return 'invalid';
      return assessMatch(secret, m, context);
    },
    severity: 'medium',
    tests: {
      positive: [
        `STRIPE_KEY=${fake(ALNUM, 32, 'key-env')}`,
        `  key: ${fake(ALNUM, 40, 'key-yaml')}`,
        `app.hmac.key=${fake(BASE64, 44, 'key-props')}`,
        `const mapsKey = "${fake(ALNUM, 39, 'key-camel')}";`,
        `  "key": "${fake(HEX, 40, 'key-json')}",`,
        `export LICENSE_KEY="${fake(UPPER_NUM, 25, 'key-license')}"`,
        // Too short for an Azure account key (88 characters), still a key.
        `storage_account_key = "${fake(BASE64, 40, 'az-short')}"`,
      ],
      negative: [
        `primary_key = "${fake(ALNUM, 24, 'key-pk')}"`,
        `sort_key: ${fake(ALNUM, 24, 'key-sk')}`,
        `hotKey: ${fake(ALNUM, 24, 'key-hot')}`,
        '  - key: app.kubernetes.io/name',
        '    key: db-password',
        '  key: "settings.profile.title"',
        '<li key={item.id}>',
        'const key = `${prefix}:${id}`;',
        'key: ArrowUpLeftShiftControl',
        '    key: 0x4AEE18F83AFDEB23',
        'monkey: ' + fake(ALNUM, 24, 'key-monkey'),
        'keyboard: ' + fake(ALNUM, 24, 'key-board'),
        `public_key: "${fake(BASE64, 44, 'key-pub')}"`,
        'STRIPE_KEY=${STRIPE_KEY}',
        'key: your-license-key-here',
        `cache_key = "user:${fake('0123456789', 6, 'key-cache')}:profile"`,
        // An SPKI public key (here P-256) is published, not a secret, whatever its name.
        `  "key": "${spkiPublicKeyBase64()}"`,
        () => `    tls.key: ${fakeSealedSecretValue('not the key', 4096)}`,
        // Seen in node_modules and awscli's examples: URL parameters, fingerprints, names, file and object keys, condition keys, templates.
        "    'x:/resource?key=value%23still-query#first%23still-fragment',",
        '  - Release GPG key: F3EF5F62A87FC27A22E643F714CE4FF5015AA242',
        "export const SARIF_FINGERPRINT_KEY = 'psrFingerprint/v1';",
        '                "S3Key": "867139942017-EntitiesDetection-ab9887877365fe70299089371c043b96/"',
        '                    "key": "WordPress_App_2-0.zip",',
        '--input-storage-location Bucket=my-fpga-bucket,Key=dcp/17_12_22-103226.Developer_CL.tar',
        '{\\"key\\":\\"ec2:InstanceMarketType\\",\\"values\\":{\\"items\\":[{\\"value\\":\\"on-demand\\"}]}}',
        '      "result_key": "Ipv6CidrAssociations"',
        '    char *key = "__f2py_cb_#name#";',
        '  "Url": "http://calculator.s3.amazonaws.com/calc5.html?key=cloudformation/7870825a-xmpl-4def-92e7-c4f8dd360cca"',
      ],
    },
  },
  {
    id: 'generic-config-key-value',
    provider: 'Generic',
    description: 'High-entropy value in a key/value settings entry named like a secret (.NET <add key="ApiKey" value="…"/>, Spring <property name="password" value="…"/>)',
    regex: new RegExp(`\\b(?:key|name)\\s*=\\s*(["'])(?<key>[^"']*(?:${KEYWORD_ALTERNATION})[^"']*)\\1\\s+value\\s*=\\s*(["'])(?<secret>[^"'\\s]{6,256})\\3`, 'i'),
    keywords: ['value='],
    confidence: 'low',
    skipPlaceholderCheck: true,
    validate: (secret, m) => assessAssignment(m.groups?.['key'] ?? '', secret, m.input),
    severity: 'medium',
    tests: {
      positive: [
        `  <add key="ApiKey" value="${fake(ALNUM, 32, 'kv1')}" />`,
        `<add key="Smtp.Password" value="Kq7${fake(ALNUM, 10, 'kv2')}" />`,
        `    <property name="password" value="Vb8${fake(ALNUM, 13, 'kv-spring')}"/>`,
        `<entry key='jdbc.password' value='Rt5${fake(ALNUM, 12, 'kv-entry')}'/>`,
      ],
      negative: [
        '<add key="ApiKey" value="#{ApiKey}#" />',
        '<add key="ApiKeyHeader" value="X-Api-Key" />',
        `<add key="CacheSeconds" value="${fake(ALNUM, 20, 'kv3')}" />`,
        '<property name="password" value="${db.password}"/>',
        '<input type="password" name="password" value="" autocomplete="off">',
      ],
    },
  },
  {
    id: 'generic-xml-secret',
    provider: 'Generic',
    description: 'High-entropy value in an XML element named like a secret (<password>, <apiToken>) or a property element whose name is (Hibernate <property name="hibernate.connection.password">, Spring <prop key="…password">)',
    // The element's own name, or the name="…"/key="…" of a property-like element.
    regex: new RegExp(
      `<(?:(?:property|prop|entry|param|parameter|setting|add|attribute|init-param|context-param)\\b[^<>]*?\\b(?:name|key)\\s*=\\s*["'])?(?<key>[A-Za-z0-9_.:-]*(?:${KEYWORD_ALTERNATION})[A-Za-z0-9_.:-]*)(?:["'][^<>]*)?>\\s*(?<secret>[^<\\s]{6,256})\\s*</`,
      'i',
    ),
    keywords: ['pass', 'pwd', 'secret', 'token', 'apikey', 'api_key', 'access_key', 'accesskey', 'private_key', 'privatekey', 'credential', 'auth'],
    confidence: 'low',
    skipPlaceholderCheck: true,
    validate: (secret, m) => assessAssignment(m.groups?.['key'] ?? '', secret, m.input),
    severity: 'medium',
    tests: {
      positive: [
        `<password>${fake(ALNUM, 14, 'xml1')}4!</password>`,
        `  <apiToken>${fake(ALNUM, 32, 'xml2')}</apiToken>`,
        `    <property name="hibernate.connection.password">Hc4${fake(ALNUM, 13, 'xml-hib')}</property>`,
        `        <prop key="hibernate.connection.password">Sp7${fake(ALNUM, 13, 'xml-prop')}</prop>`,
      ],
      negative: [
        '<password>${env.DB_PASSWORD}</password>',
        '<password>changeme</password>',
        '<passwordPolicy>strong</passwordPolicy>',
        '<property name="hibernate.connection.password">${DB_PASSWORD}</property>',
        '<property name="hibernate.connection.username">reporting_service_2024</property>',
      ],
    },
  },
];
