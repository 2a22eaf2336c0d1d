import { computeFingerprint, redactSecret } from '@psr/report';
import type { Finding, FindingLocation } from '@psr/report';
import type { RawDetection } from '../detect/scan-text.js';
import type { SecretRule } from '../rules/rule.js';

/**
 * The default fingerprint salt. Set `salt:` in the config to make fingerprints private to a repo.
 *
 * @example
 * ```ts
 * secretFingerprint(config.salt ?? DEFAULT_SALT, ruleId, file, value);
 * ```
 */
export const DEFAULT_SALT = 'psr-secret-scan/v1';

/** Where a detection came from, besides the text itself. */
export interface DetectionSource {
  /** Repository-relative path with forward slashes. */
  file: string;
  commit?: string;
  author?: string;
  date?: string;
}

/**
 * The fingerprint of a leaked secret: sha256 over the salt, the rule id, the file path and the
 * secret itself. Line, column and commit are left out on purpose, so the same leak keeps its
 * fingerprint when lines move and in both `files` and `history` mode (a baseline accepts it
 * everywhere); a different file or a rotated value is a new finding.
 *
 * @example
 * ```ts
 * secretFingerprint('salt', 'github-pat', '.env', value); // 64 hex chars
 * ```
 */
export function secretFingerprint(salt: string, ruleId: string, file: string, secret: string): string {
  return computeFingerprint(['secret', ruleId, file, secret], { salt });
}

/**
 * The provider's fixed prefix shown in redacted values (`ghp_`, `AKIA`, `xoxb-`): the longest
 * rule keyword the secret starts with. Generic rules (a value found by the name it is assigned
 * to: passwords, URL credentials) have none, so nothing of their value is shown.
 */
function knownPrefix(d: RawDetection): string | undefined {
  if (d.rule.provider === 'Generic') return undefined;
  let best: string | undefined;
  for (const k of d.rule.keywords) {
    if (k.length <= 12 && d.secret.toLowerCase().startsWith(k) && (!best || k.length > best.length)) best = d.secret.slice(0, k.length);
  }
  return best;
}

/**
 * A rule's title in reports: its own, or its description up to the first parenthesis.
 *
 * @example
 * ```ts
 * ruleTitle(rule); // 'RSA private key'
 * ```
 */
export function ruleTitle(rule: SecretRule): string {
  return rule.title ?? rule.description.split(' (')[0]!;
}

/**
 * Turn a raw detection into a report Finding. This is the point where the secret value stops
 * travelling: the Finding carries only the redacted form and the salted fingerprint.
 */
export function toFinding(d: RawDetection, source: DetectionSource, salt: string): Finding {
  const prefix = knownPrefix(d);
  // Only a provider's public prefix is shown, never characters of the secret part.
  const redacted = redactSecret(d.secret, prefix ? { knownPrefix: prefix, plainPrefix: false } : { plainPrefix: false });
  const endsOnLine = !d.secret.includes('\n');
  const location: FindingLocation = {
    file: source.file,
    line: d.line,
    col: d.column,
    ...(endsOnLine ? { endLine: d.line, endCol: d.column + d.secret.length } : {}),
    ...(source.commit ? { commit: source.commit } : {}),
    ...(source.author ? { author: source.author } : {}),
    ...(source.date ? { date: source.date } : {}),
  };
  return {
    id: d.rule.id,
    kind: 'secret',
    title: ruleTitle(d.rule),
    description: d.rule.description,
    help: 'Revoke or rotate the credential at its provider first, then remove it from the code (and from git history if it was pushed). Accept a false alarm with an inline `psr-allow: ' + d.rule.id + '` comment, an allowlist entry, or the baseline.',
    severity: d.rule.severity,
    confidence: d.confidence,
    locations: [location],
    fingerprint: secretFingerprint(salt, d.rule.id, source.file, d.secret),
    redacted,
    properties: { provider: d.rule.provider },
  };
}
