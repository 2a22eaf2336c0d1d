import { readFile } from 'node:fs/promises';
import { PsrError } from '@psr/core';
import picomatch from 'picomatch';

/**
 * Error codes of the secret-scan plugin (documented in docs/errors.md).
 *
 * @example
 * ```ts
 * if (error.code === SecretScanErrorCodes.CONFIG) console.error(error.location);
 * ```
 */
export const SecretScanErrorCodes = {
  /** The config file is unreadable, not YAML, or has unknown/mistyped keys. */
  CONFIG: 'PSR_SECRET_SCAN_CONFIG',
  /** The baseline file is unreadable or not a psr secret-scan baseline. */
  BASELINE: 'PSR_SECRET_SCAN_BASELINE',
  /** The scan target does not exist, is neither a folder nor a file, or is a file in history mode. */
  TARGET: 'PSR_SECRET_SCAN_TARGET',
  /** `git` failed or the target is not a git repository (history mode). */
  GIT: 'PSR_SECRET_SCAN_GIT',
} as const;

/**
 * What `.psr/secret-scan.yml` may say. Every part is optional.
 *
 * @example
 * ```yaml
 * salt: acme-monorepo-2024          # keep fingerprints private to this repo
 * maxFileSize: 20MB
 * allow:
 *   paths: ['test/fixtures/**', '**\/*.snap']
 *   rules: ['generic-secret-assignment']
 *   regexes: ['^dev-only-']
 *   stopwords: ['localdev']
 * disableRules: ['stripe-test-key']
 * ```
 */
export interface SecretScanConfig {
  salt?: string;
  /** Files larger than this are skipped (bytes, or `10MB`, `512KB`). Default 10 MB. */
  maxFileSize?: number;
  allow?: {
    /** Path globs (picomatch, relative to the scan root) never scanned. */
    paths?: string[];
    /** Rule ids whose findings are allowed. */
    rules?: string[];
    /** Regexes; a secret matching one is allowed. */
    regexes?: string[];
    /** Words; a secret containing one (case-insensitive) is allowed. */
    stopwords?: string[];
  };
  /** Rule ids not to run at all. */
  disableRules?: string[];
}

/**
 * Parse `10MB`, `512KB`, `1048576` into bytes.
 *
 * @example
 * ```ts
 * parseSize('10MB'); // 10485760
 * ```
 */
export function parseSize(value: string | number, where = 'size'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(String(value));
  if (!m) throw new PsrError(SecretScanErrorCodes.CONFIG, `${where}: invalid size "${String(value)}"`, { hint: 'use bytes or a unit: 512KB, 10MB, 1GB' });
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}

const KNOWN_KEYS = new Set(['salt', 'maxFileSize', 'allow', 'disableRules']);
const KNOWN_ALLOW = new Set(['paths', 'rules', 'regexes', 'stopwords']);

/**
 * Load and check a config file. Problems point at `file:line:col`.
 *
 * @example
 * ```ts
 * const config = await loadSecretScanConfig('.psr/secret-scan.yml');
 * ```
 */
export async function loadSecretScanConfig(file: string, displayName = file): Promise<SecretScanConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new PsrError(SecretScanErrorCodes.CONFIG, `cannot read secret-scan config ${displayName}`, { hint: 'check the path given as `config`', cause });
  }
  const { parseDocument, LineCounter } = await import('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const fail = (message: string, offset: number | undefined, hint: string): never => {
    const pos = offset === undefined ? { line: 1, col: 1 } : lc.linePos(offset);
    // The config may hold secrets (a token pasted in by mistake): no message quotes its text.
    throw new PsrError(SecretScanErrorCodes.CONFIG, message, { hint, location: { file: displayName, line: pos.line, col: pos.col, sensitive: true } });
  };
  /** YAML's message without the source text some of them end with (`…: *alias`). */
  // yaml composes documents by recursion, and reports a stack overflow as a parse error.
  const yamlReason = (message: string): string => (/call stack/i.test(message) ? 'it is nested too deeply to read' : message.split('\n')[0]!.replace(/:\s.*$/, ''));
  const firstError = doc.errors[0];
  if (firstError) fail(`invalid YAML: ${yamlReason(firstError.message)}`, firstError.pos[0], 'fix the YAML syntax');
  let value: unknown;
  try {
    // Aliases are resolved here: an undefined one (`*name` with no `&name`) or an alias bomb throws.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    fail(`invalid YAML: ${yamlReason((cause as Error).message)}`, undefined, 'define each anchor (&name) before its alias (*name), and avoid nesting aliases');
  }
  if (value === null || value === undefined) return {};
  const offsetOf = (path: string[]): number | undefined => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range?.[0];
  };
  /** Offset of a mapping key (where an unknown key should be pointed at). */
  const keyOffsetOf = (path: string[]): number | undefined => {
    const parent = (path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents) as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | undefined;
    return parent?.items?.find((item) => item.key?.value === path.at(-1))?.key?.range?.[0] ?? offsetOf(path);
  };
  if (typeof value !== 'object' || Array.isArray(value)) fail('the config must be a mapping', 0, 'write keys such as `allow:` and `salt:`');
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN_KEYS.has(key)) fail('unknown top-level key', keyOffsetOf([key]), `known keys: ${[...KNOWN_KEYS].join(', ')}`);
  }
  const config: SecretScanConfig = {};
  if (obj['salt'] !== undefined) {
    if (typeof obj['salt'] !== 'string' || obj['salt'] === '') fail('salt must be a non-empty string', offsetOf(['salt']), 'e.g. salt: my-repo-2024');
    config.salt = obj['salt'] as string;
  }
  if (obj['maxFileSize'] !== undefined) {
    try {
      config.maxFileSize = parseSize(obj['maxFileSize'] as string | number, 'maxFileSize');
    } catch {
      fail('maxFileSize is not a size', offsetOf(['maxFileSize']), 'use bytes or a unit: 512KB, 10MB');
    }
  }
  const strings = (path: string[], v: unknown): string[] => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`${path.join('.')} must be a list of strings`, offsetOf(path), `e.g. ${path.at(-1)}: ['…']`);
    return v as string[];
  };
  if (obj['disableRules'] !== undefined) config.disableRules = strings(['disableRules'], obj['disableRules']);
  if (obj['allow'] !== undefined) {
    const allow = obj['allow'];
    if (typeof allow !== 'object' || allow === null || Array.isArray(allow)) fail('allow must be a mapping', offsetOf(['allow']), 'keys: paths, rules, regexes, stopwords');
    const a = allow as Record<string, unknown>;
    config.allow = {};
    for (const key of Object.keys(a)) {
      if (!KNOWN_ALLOW.has(key)) fail('unknown key under allow', keyOffsetOf(['allow', key]), `known keys: ${[...KNOWN_ALLOW].join(', ')}`);
      const list = strings(['allow', key], a[key]);
      if (key === 'regexes') {
        list.forEach((r, i) => {
          try {
            new RegExp(r);
          } catch (error) {
            // V8 says "Invalid regular expression: /<pattern>/<flags>: <reason>": keep the reason only.
            const reason = /: ([^:/]+)$/.exec((error as Error).message)?.[1];
            fail(`allow.regexes[${i}] is not a valid regular expression${reason ? ` (${reason})` : ''}`, offsetOf(['allow', 'regexes', String(i)]), 'use JavaScript regex syntax');
          }
        });
      }
      (config.allow as Record<string, string[]>)[key] = list;
    }
  }
  return config;
}

/**
 * Config allowlists compiled once.
 *
 * @example
 * ```ts
 * const allow = new Allowlist({ allow: { paths: ['fixtures/**'], stopwords: ['localdev'] } });
 * allow.allowsPath('fixtures/a.env'); // true
 * ```
 */
export class Allowlist {
  private readonly pathMatch: (p: string) => boolean;
  private readonly rules: Set<string>;
  private readonly regexes: RegExp[];
  private readonly stopwords: string[];

  constructor(config: SecretScanConfig) {
    const globs = config.allow?.paths ?? [];
    this.pathMatch = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
    this.rules = new Set(config.allow?.rules ?? []);
    this.regexes = (config.allow?.regexes ?? []).map((r) => new RegExp(r));
    this.stopwords = (config.allow?.stopwords ?? []).map((w) => w.toLowerCase());
  }

  /** True when a path is allowlisted (and need not be read at all). */
  allowsPath(relPath: string): boolean {
    return this.pathMatch(relPath);
  }

  /** The reason a detection is allowed, or undefined. */
  allows(ruleId: string, secret: string): string | undefined {
    if (this.rules.has(ruleId)) return `rule ${ruleId} is allowlisted`;
    if (this.regexes.some((r) => r.test(secret))) return 'secret matches an allowlisted regex';
    const lower = secret.toLowerCase();
    if (this.stopwords.some((w) => lower.includes(w))) return 'secret contains an allowlisted stopword';
    return undefined;
  }
}
