/**
 * Secrets never leave the process: reports, logs, spans and error messages carry only a short
 * prefix and the length.
 */

const PLAIN_PREFIX = 4;
const MAX_KNOWN_PREFIX = 12;
/** Below this length a value is too short to show any of it. */
const MIN_LENGTH_FOR_PREFIX = 16;

/**
 * Options for {@link redactSecret}.
 *
 * @example
 * ```ts
 * const options: RedactOptions = { knownPrefix: 'github_pat_' };
 * ```
 */
export interface RedactOptions {
  /**
   * The provider's documented fixed prefix for this credential type (`github_pat_`, `sk-ant-`,
   * `xoxb-`), shown in full when the value starts with it — it identifies the type without
   * revealing any secret part. At most 12 characters.
   */
  knownPrefix?: string;
  /**
   * Show the first 4 characters of a long value when no `knownPrefix` applies (default true).
   * Set false for values with no public prefix (passwords, keys found by the name they are
   * assigned to): only the length is shown.
   */
  plainPrefix?: boolean;
}

/**
 * Redact a credential to `prefix…(length)`. Without `knownPrefix` it shows the first 4
 * characters of values of 16 characters or more (enough to recognise `ghp_`, `AKIA`,
 * `xoxb`), and nothing of shorter values (a password's first letters are part of the secret).
 * The length counts characters (code points). Use it for every place a secret would appear.
 *
 * @example
 * ```ts
 * redactSecret('ghp_' + 'a'.repeat(36));                         // 'ghp_…(40)'
 * redactSecret('AKIAZ3MSJV4WWNKWW5FG');                          // 'AKIA…(20)' psr-allow (example)
 * redactSecret('hunter2');                                       // '…(7)'
 * redactSecret('sk-ant-api03-' + 'x'.repeat(95), { knownPrefix: 'sk-ant-' }); // 'sk-ant-…(108)'
 * redactSecret('Zq8Lm2Xp9VrKw3Nb', { plainPrefix: false });     // '…(16)'
 * ```
 */
export function redactSecret(value: string, options: RedactOptions = {}): string {
  const chars = [...value];
  const length = chars.length;
  const known = options.knownPrefix;
  let prefix = '';
  if (
    known !== undefined &&
    known.length > 0 &&
    known.length <= MAX_KNOWN_PREFIX &&
    value.startsWith(known) &&
    known.length * 2 <= length
  ) {
    prefix = known;
  } else if (length >= MIN_LENGTH_FOR_PREFIX && options.plainPrefix !== false) {
    prefix = chars.slice(0, PLAIN_PREFIX).join('');
  }
  // Control characters or spaces in the prefix would break one-line output: show nothing.
  if (!/^[\x21-\x7e]*$/.test(prefix)) prefix = '';
  return `${prefix}…(${length})`;
}
