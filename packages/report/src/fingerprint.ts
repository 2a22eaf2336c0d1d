import * as crypto from 'node:crypto';

// One-shot `crypto.hash` (Node >= 20.12) costs a fraction of createHash().update().digest(),
// which shows when a report has thousands of findings; older Node 20 releases use the latter.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/**
 * A stable fingerprint from the parts that identify a finding (kind, id, package, file…):
 * hex SHA-256 over the parts joined by NUL, so `['a b', 'c']` and `['a', 'b c']` differ.
 * Pass a `salt` when the parts include something sensitive (secret-scan salts the secret's
 * hash so a fingerprint cannot be used to confirm a guessed credential).
 *
 * Leave line numbers out of the parts when the finding can be identified without them: then
 * baselines survive unrelated edits that shift lines.
 *
 * @example
 * ```ts
 * computeFingerprint(['vulnerability', 'GHSA-462w-v97r-4m45', 'PyPI', 'jinja2', '2.10', 'requirements.txt']);
 * // → '3b1f…' (64 hex characters, same on every run and machine)
 * ```
 */
export function computeFingerprint(parts: readonly string[], options: { salt?: string } = {}): string {
  // Hashing the salt prefix and the parts as one string gives the same digest as two updates.
  const data = `${options.salt !== undefined ? `salt\0${options.salt}\0` : ''}${parts.join('\0')}`;
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}
