import type { SecretRule } from './rule.js';
import { ALNUM, fake } from './samples.js';
import { isPlaceholder } from '../detect/false-positives.js';
import { validateJwt } from '../validators/jwt.js';

/** Stand-in passwords used by documentation and local defaults (guest:guest, root:root…). */
const COMMON_DEFAULTS = new Set(['pass', 'guest', 'admin', 'root', 'user', 'postgres', 'mysql', 'redis', 'rabbitmq', 'sa', 'pwd', 'passw0rd', 'p@ssw0rd', 'letmein', 'qwerty', 'hunter2', 'changeit', 'foo', 'bar', 'baz', 'abc', 'xyz', 'username', 'pw', 'xxx', '***', '****']);

/** Hosts reserved for documentation (RFC 2606, RFC 6761): credentials in a URL to one are an example. */
const EXAMPLE_HOST = /(?:^|\.)example\.(?:com|net|org)$|\.(?:example|test|invalid)$|^example$/i;

/** Credentials embedded in URLs and connection strings. */
export const connectionStringRules: readonly SecretRule[] = [
  {
    id: 'bearer-token',
    provider: 'Generic',
    description: 'Bearer token written into an Authorization header or curl command',
    regex: /\bBearer\s+([A-Za-z0-9_\-.~+/]{20,}=*)(?![A-Za-z0-9_\-.~+/=])/,
    keywords: ['bearer'],
    entropy: 3.5,
    // A JWT is judged as one (see the jwt rule): a documentation token stays an example here too.
    validate: (secret) => (/^eyJ[\w-]*\.eyJ/.test(secret) && validateJwt(secret) === 'invalid' ? 'invalid' : 'unknown'),
    confidence: 'low',
    severity: 'medium',
    tests: {
      positive: [`curl -H "Authorization: Bearer ${fake(ALNUM, 40, 'bearer')}" https://api.acme.io/v1/me`],
      negative: ['curl -H "Authorization: Bearer $TOKEN" https://api.acme.io', 'Authorization: Bearer <token>', 'headers["Authorization"] = "Bearer " + token', 'Authorization: Bearer YOUR_ACCESS_TOKEN_HERE'],
    },
  },
  {
    id: 'basic-auth-header',
    provider: 'Generic',
    description: 'HTTP Basic credentials (base64 user:password) in an Authorization header',
    regex: /\bBasic\s+([A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])/,
    keywords: ['basic '],
    validate: (secret) => {
      const text = Buffer.from(secret, 'base64').toString('latin1');
      const m = /^([\x21-\x7e]{1,64}):([\x20-\x7e]{4,128})$/.exec(text);
      if (!m) return 'invalid';
      const password = m[2]!;
      return password === m[1] || COMMON_DEFAULTS.has(password.toLowerCase()) || isPlaceholder(password, true) ? 'invalid' : 'valid';
    },
    severity: 'high',
    tests: {
      positive: [`Authorization: Basic ${Buffer.from('deploy:' + fake(ALNUM, 18, 'basic')).toString('base64')}`],
      negative: [`Authorization: Basic ${Buffer.from('user:password').toString('base64')}`, 'Authorization: Basic <credentials>', 'uses Basic authentication over TLS'],
    },
  },
  {
    id: 'url-credentials',
    provider: 'Generic',
    description: 'Password embedded in a URL or connection string (scheme://user:password@host, or scheme://:password@host)',
    regex: /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,30}:\/\/[^\s:@/'"<>(){}\[\]`]{0,128}:([^\s@/'"<>(){}\[\]`]{3,128})@[A-Za-z0-9][A-Za-z0-9.-]*/i,
    keywords: ['://'],
    validate: (secret, m) => {
      const user = /:\/\/([^:/@]*):/.exec(m[0])?.[1] ?? '';
      const host = /@([A-Za-z0-9.-]+)$/.exec(m[0])?.[1] ?? '';
      // `anonymous` logs in with any password by convention (FTP, MDN's URL examples): nothing secret.
      if (secret === user || user.toLowerCase() === 'anonymous' || EXAMPLE_HOST.test(host.replace(/\.$/, '')) || COMMON_DEFAULTS.has(secret.toLowerCase()) || isPlaceholder(secret, true)) return 'invalid';
      return 'unknown';
    },
    severity: 'high',
    tests: {
      positive: [`DATABASE_URL=postgres://app:${fake(ALNUM, 16, 'pg')}@db.internal:5432/app`, `mongodb+srv://admin:${'Qx7%23mP2vLk9'}@cluster0.ab1cd.mongodb.net/prod`, `  url: "https://deploy:${fake(ALNUM, 20, 'https')}@git.acme.io/repo.git"`, `REDIS_URL=redis://:${fake(ALNUM, 24, 'redis')}@redis.internal:6379/0`],
      negative: ['DATABASE_URL=postgres://user:password@localhost:5432/db', 'redis://:${REDIS_PASSWORD}@redis:6379', 'postgres://<user>:<password>@<host>/db', 'mysql://root:changeme@localhost/app', 'https://user:pass@example.com', 'amqp://guest:guest@localhost:5672', 'https://abc:xyz@example.com', 'url.parse("https://anonymous:flabada@developer.mozilla.org/en-US/docs/Web/API/URL/password");', `postgres://svc:${fake(ALNUM, 16, 'pg-doc')}@db.example.org/app`],
    },
  },
  {
    id: 'connection-string-password',
    provider: 'Generic',
    description: 'Password in an ADO.NET / JDBC / ODBC style connection string (Password=…;)',
    regex: /(?:Server|Data Source|Host|Address|Addr|Hostname)\s*=[^;"'\n]{1,200};(?:\s*[A-Za-z][A-Za-z ]{0,30}\s*=[^;"'\n]{0,200};){0,12}?\s*(?:Password|Pwd)\s*=\s*(?!["'{$%<])([^;"'\s]{4,128})/i,
    keywords: ['password=', 'pwd=', 'password =', 'pwd ='],
    validate: (secret) => (/^\d+$/.test(secret) || COMMON_DEFAULTS.has(secret.toLowerCase()) || isPlaceholder(secret, true) ? 'invalid' : 'unknown'),
    severity: 'high',
    tests: {
      positive: [`"DefaultConnection": "Server=sql.acme.io;Database=app;User Id=app;Password=${fake(ALNUM, 18, 'ado')};"`],
      negative: ['var server=810997;function f(a){return a.x(b)||"auth"};var password=72555;', '"DefaultConnection": "Server=(localdb)\\\\mssqllocaldb;Database=app;Trusted_Connection=True;"', 'Server=db;Database=app;User Id=sa;Password=<YourStrong@Passw0rd>;', 'Server=db;Uid=app;Pwd={db_password};'],
    },
  },
];
