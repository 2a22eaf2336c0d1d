import type { SecretRule } from '../rules/rule.js';
import { builtinRules } from '../rules/table.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The rule list as a Markdown table, generated from the rule table.
 *
 * @example
 * ```ts
 * console.log(renderRuleTable(builtinRules));
 * ```
 */
export function renderRuleTable(rules: readonly SecretRule[] = builtinRules): string {
  const rows = rules.map((r) => {
    const checks = [r.validate ? 'structural check' : '', r.entropy !== undefined ? `entropy ≥ ${r.entropy}` : ''].filter(Boolean).join(', ') || '—';
    return `| \`${r.id}\` | ${cell(r.provider)} | ${cell(r.description)} | ${r.severity} | ${checks} | ${r.keywords.map((k) => `\`${cell(k)}\``).join(' ')} |`;
  });
  return ['| id | provider | what it finds | severity | validation | keywords |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/**
 * The whole of docs/plugins/secret-scan.md. Regenerate with
 * `node packages/plugin-secret-scan/scripts/rule-docs.mjs` after building; a test checks the
 * file on disk is current.
 *
 * @example
 * ```ts
 * writeFileSync('docs/plugins/secret-scan.md', renderSecretScanDocs());
 * ```
 */
export function renderSecretScanDocs(rules: readonly SecretRule[] = builtinRules): string {
  return `<!-- Generated from the rule table by packages/plugin-secret-scan/scripts/rule-docs.mjs: do not edit by hand. -->
# secret-scan: leaked credentials in files and git history

The built-in plugin \`psr:secret-scan\` provides the task type \`secret-scan\` and the command
\`psr secret-scan\` (the same code). It finds credentials with ${rules.length} rules written from the
providers' documented token formats, validates them offline where the format allows, suppresses
known false-positive classes, and never prints a secret.

## Use it

\`\`\`yaml
tasks:
  secrets:
    uses: secret-scan
    with:
      path: .
      format: [sarif, markdown]
      output: [secret-scan.sarif, secret-scan.md]
      baseline: .psr/secret-scan-baseline.json
\`\`\`

\`\`\`sh
psr secret-scan                                   # table of findings, exit 1 when any is unallowed
psr secret-scan . --format sarif --output secrets.sarif
psr secret-scan --mode history --since 2024-01-01 # lines added by each commit, deleted secrets included
psr secret-scan --mode history --from v1.0 --to HEAD
psr secret-scan --mode staged                     # what the next commit adds: a pre-commit hook
psr secret-scan --update-baseline                 # accept today's findings; only new leaks fail from now on
\`\`\`

As a git pre-commit hook (\`.git/hooks/pre-commit\`, executable), which stops a commit that
would add an unallowed secret; only staged lines are read (about 0.4 s here, most of it start-up):

\`\`\`sh
#!/bin/sh
exec psr secret-scan --mode staged
\`\`\`

Exit status: 0 no unallowed findings, 1 unallowed findings (the task fails with \`kind: findings\`,
not retried unless \`retry.on\` names \`findings\`, and still publishes its outputs), 2 usage or input error.

### Task inputs (\`with:\`)

| input | default | |
| --- | --- | --- |
| \`path\` | \`.\` | folder, one file (scanned as its folder's only file, by its folder's config) or repository, relative to the task's working directory |
| \`mode\` | \`files\` | \`files\`: the working tree (\`.gitignore\` respected, except for files git tracks); \`history\`: lines added by each commit (\`git log -p --cc\`; in a merge commit, lines no parent had); \`staged\`: lines the next commit would add (\`git diff --cached\`), numbered as in the staged files |
| \`since\`, \`from\`, \`to\` | | history range: \`--since\` date, \`from..to\` (to defaults to HEAD; without \`from\` every ref is read); an input error in the other modes |
| \`config\` | \`<path>/.psr/secret-scan.yml\` | config file (below) |
| \`baseline\` | | baseline file of accepted findings |
| \`update-baseline\` | \`false\` | write every current finding to the baseline (atomically) and pass |
| \`format\` / \`output\` | | report formats \`json\`, \`sarif\`, \`markdown\`, \`table\`, paired in order with output files; a format without a file is printed |
| \`max-file-size\` | \`10MB\` | larger files are skipped and counted |
| \`gitignore\` | \`true\` | honor \`.gitignore\` files (as git does: a tracked file is scanned even when a pattern matches it) |
| \`fail-on-findings\` | \`true\` | fail the task when unallowed findings remain |

### Outputs

\`total\` (unallowed findings), \`suppressed\`, \`critical\`, \`high\`, \`medium\`, \`low\`, \`filesScanned\`,
\`bytesScanned\`, \`skippedBinary\`, \`skippedOversized\`, \`commitsScanned\`, and \`findings\`: a list of
\`{ rule, file, line, column, severity, confidence, fingerprint, redacted, commit?, author?, date?, suppressed? }\`
(first 500).

## What is reported

- **Provider rules** (table below). A keyword prefilter (one Aho–Corasick pass over the bytes) decides
  which rules can apply near each position; a rule's regex runs only in a window around its keywords.
- **Structural validation**, offline: GitHub \`ghp_/gho_/ghu_/ghs_/ghr_\` and npm \`npm_\` tokens carry a
  CRC-32 checksum (base62 with digits \`0-9A-Za-z\`, last 6 characters); JWTs must decode to a JSON header naming an \`alg\`
  (not \`none\`); private keys must parse (PKCS#1/SEC1/PKCS#8 load with Node's crypto; OpenSSH keys
  need the \`openssh-key-v1\` magic; PGP keys a secret-key packet; encrypted keys their DER or
  \`DEK-Info\`); AWS key ids use the base32 alphabet; Azure keys decode to 64 bytes; PyPI tokens are
  macaroons for pypi.org. A passing check makes the finding \`confidence: high\`; a failing JWT or
  key check drops the match.
- **Generic detection**: high-entropy values assigned to secret-sounding keys (\`password\`, \`passwd\`,
  \`pwd\`, \`token\`, \`secret\`, \`api_key\`, \`apikey\`, \`auth\`, \`credential\`, \`private_key\`, …) in code,
  \`.env\`, YAML, JSON, properties, Terraform, XML and notebooks (\`.ipynb\` cell sources). Shannon
  entropy floors per character set (hex 3.0, alphanumeric 3.5, base64 3.7 bits/char, capped for short
  values); passwords need 8+ characters and two character classes. In source files of languages
  whose strings are always quoted (\`.py\`, \`.pyi\`, \`.js\`, \`.ts\`, \`.java\`, \`.go\`, \`.rs\`, \`.c\`,
  \`.cpp\`, \`.cs\`, \`.rb\`, \`.php\`, …) an unquoted name is a type or a variable, not a value; prose
  after \`key:\` (\`password: Optional. The …\`), C++ scopes and aliases, AWS ARNs, pagination tokens
  (\`NextToken\`) and timestamps are not values either. Confidence \`low\`.
  Names that end in the word \`key\` (\`STRIPE_KEY=\`, \`app.hmac.key\`, \`mapsKey\`, YAML \`key:\`) are
  judged by their own rule, \`generic-key-assignment\`, which asks more: the value must hold letters and
  digits, and keys into tables, caches, maps and translations (\`primary_key\`, \`sort_key\`, \`cache_key\`,
  \`S3Key\`, \`i18n key\`, \`hotKey\`, a \`GPG key\` fingerprint, IAM condition keys such as \`ec2:InstanceType\`)
  are not secrets. XML counts \`<password>\`-like elements and property elements named like a secret
  (Hibernate's \`<property name="hibernate.connection.password">\`, Spring's \`<prop key="…">\` and
  \`<property name="password" value="…"/>\`).
- **Host logins**: netrc entries (\`machine … login … password …\`, also one field per line in a
  \`.netrc\`, \`_netrc\` or \`.authinfo\` file), and passwords on command lines: \`mysql\`, \`mysqldump\`,
  \`mysqladmin\` or \`mariadb -pPASSWORD\` (not \`-p\` alone, which prompts, nor \`-P\`, the port) and
  \`sshpass -p PASSWORD\`.
- **Encoded keys**: a PEM private key encoded in base64 on one line, as kubeconfig's
  \`client-key-data:\` and a TLS Secret's \`tls.key:\` hold it, is decoded and checked like a PEM block
  (certificates such as \`client-certificate-data:\` are not reported).
- **Suppressed by default**: documented example keys (\`AKIAIOSFODNN7EXAMPLE\`, the jwt.io token, the
  Azurite key, Stripe's docs keys, the OAuth RFCs' example tokens, private keys AWS marks
  \`EXAMPLE\` inside…) and JWTs signed with a key
  documentation uses (\`secret\`, jwt.io's \`your-256-bit-secret\`: the signature is checked); placeholders (\`<YOUR_TOKEN>\`, \`\${VAR}\`, \`{{ var }}\`, \`xxxx\`,
  \`changeme\`, \`your-api-key\`, \`dummy\`, \`example\`, AWS's \`xmpl\` ids, \`#name#\` template fields, repeated characters, a sequential run such as
  \`abcdef\` that makes up much of the value; stand-in words count only as people type them — \`your\`,
  \`YOUR\`, \`Your\`, \`changeMe\` — since random tokens hold \`yOuR\` or \`TeSt\` by chance); URL
  credentials for a documentation host (\`example.com\`, \`*.example\`, \`*.test\`); references
  (\`os.environ[…]\`, \`process.env.X\`, \`entry?.token\`, \`var.db_password\`, function calls, type names
  in code such as \`password: BinaryLike,\` — a passphrase of capitalised words in a config file is still
  reported —, file paths — an absolute
  path's names are words, so a base64 secret that starts with \`/\` is still reported); hashes and
  digests (hex md5/sha1/sha256 on hash-like lines, \`sha512-…\` integrity strings, \`sha256:\` hashes);
  UUIDs and git SHAs; public keys and certificates (also a base64 DER public key, whatever its
  name); data-URI images; publishable keys (\`pk_…\`, \`pk.…\`); Bitnami SealedSecret values
  (\`encryptedData:\`: a 2-byte RSA block length of 256, 384 or 512, the sealed session key and the
  AES-GCM ciphertext, which only the cluster's controller can open).
- **Skipped files**: binary files (a NUL byte in the first 8 KB; UTF-16 files with a byte-order mark are decoded and scanned, in history and staged modes too: git diffs them as binary, so the old and new blobs are decoded and the lines the change adds are scanned, as for text that \`.gitattributes\` marks \`binary\` or \`-diff\` and a file saved as UTF-8 again; binary blobs are not read past their first 8 KB), files over \`maxFileSize\`, symlinks,
  \`.git\`, \`.gitignore\`d paths (a folder counts once) unless git tracks them, and allowlisted paths;
  all but \`.git\` counted in the summary line. Files are streamed in 4 MB chunks.

## Controls

\`.psr/secret-scan.yml\` (or the \`config\` input):

\`\`\`yaml
salt: acme-monorepo-2024        # fingerprint salt (default: psr-secret-scan/v1)
maxFileSize: 20MB
allow:
  paths: ['test/fixtures/**', '**/*.snap']   # picomatch globs, relative to the scan root; never read
  rules: ['stripe-test-key']                # rule ids whose findings are allowed
  regexes: ['^dev-only-']                   # a secret matching one is allowed
  stopwords: ['localdev']                   # a secret containing one is allowed
disableRules: ['generic-xml-secret']        # rules not run at all
\`\`\`

Inline: a \`psr-allow\` comment on the same line allows every finding on it; \`psr-allow: rule-id[, rule-id]\`
allows only those rules (\`const key = '…' // psr-allow: stripe-secret-key\`).

Baseline: \`psr secret-scan --update-baseline\` writes \`.psr/secret-scan-baseline.json\` (or \`--baseline FILE\`)
atomically: the fingerprints, rule ids, files and lines of today's findings, never the values. Later
scans with \`--baseline\` report only findings whose fingerprint is not in it.

Allowed findings stay in JSON and SARIF as suppressed (\`inline\`, \`allowlist\` or \`baseline\`) and never fail a run.

## Redaction and fingerprints

Findings, reports, logs, span attributes and error messages show at most the provider's fixed
prefix and the length: \`ghp_…(40)\`, \`AKIA…(20)\`; values with no public prefix (passwords and other
generic findings, keys found by the name they are assigned to) show nothing but the length (\`…(16)\`). The value
itself is not stored in the finding at all; a property test plants random secrets and checks that no
output file, log line or span attribute contains one.

\`fingerprint = sha256("salt\\0" + salt + "\\0" + "secret\\0" + rule id + "\\0" + file + "\\0" + secret)\`.
Line, column and commit are left out, so a fingerprint is stable across runs, when lines move, and
between \`files\` and \`history\` mode; a rotated value or another file is a new finding. Set a private
\`salt\` to keep fingerprints of short secrets from being checked against guesses.

## Rules

${renderRuleTable(rules)}
`;
}
