/**
 * The shape of one detection rule. Rules are plain data: the rule table is the single source
 * of truth for detection, for the rule tests (each rule carries its own positive and negative
 * cases) and for the generated rule list in docs/plugins/secret-scan.md.
 */

/** How bad a leak of this credential is. */
export type SecretSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * How sure a finding is: `high` when an offline structural check passed (checksum, JWT header,
 * PEM body), `medium` for a well-anchored format match, `low` for generic entropy matches.
 */
export type Confidence = 'high' | 'medium' | 'low';

/**
 * The verdict of a structural validator: `valid` upgrades the finding to `confidence: high`,
 * `invalid` drops the match (it cannot be a real credential of that kind), `unknown` keeps
 * the rule's default confidence.
 */
export type Validation = 'valid' | 'invalid' | 'unknown';

/** A test value: literal text, or a function building it at test time (checksummed formats). */
export type RuleSample = string | (() => string | Promise<string>);

/**
 * Where the scanned text comes from, for validators whose judgement depends on it.
 *
 * @example
 * ```ts
 * const validate = (secret: string, m: RegExpExecArray, context: RuleContext): Validation =>
 *   context.file?.endsWith('.py') && !/["']$/.test(m.input.slice(0, m.index)) ? 'invalid' : 'unknown';
 * ```
 */
export interface RuleContext {
  /** The path of the file the text is from (its extension tells the language), when known. */
  file?: string;
}

/** One detection rule. */
export interface SecretRule {
  /** Stable kebab-case id, used in allowlists, `psr-allow:` comments and fingerprints. */
  id: string;
  /** Who issues the credential (for docs and reports). */
  provider: string;
  /** One line for humans. */
  description: string;
  /** The finding's title in reports; default: the description up to its first parenthesis. */
  title?: string;
  /**
   * The pattern. The named group `secret`, else capture group 1, else the whole match is the
   * secret.
   * Must be global-safe: the scanner clones it with the `g` flag.
   */
  regex: RegExp;
  /**
   * Lower-case literals of which at least one must occur in the window for the regex to run
   * (the keyword prefilter). Non-empty for every rule.
   */
  keywords: readonly string[];
  /** Minimum Shannon entropy (bits per char) of the secret; below it the match is dropped. */
  entropy?: number;
  /** Offline structural check of the secret (checksum, decoding, parsing), told where the text is from. */
  validate?: (secret: string, match: RegExpExecArray, context: RuleContext) => Validation;
  severity: SecretSeverity;
  /** Confidence when no validator spoke; defaults to `medium`. */
  confidence?: Confidence;
  /**
   * How many characters after the keyword a match may still run (default 400). Raise it for
   * long credentials (service-account JSON, JWTs, session tokens).
   */
  reach?: number;
  /** How many characters before the keyword a match may start (default 256). */
  before?: number;
  /** The match may span lines (PEM blocks): the window runs past the keyword's line. */
  multiline?: boolean;
  /**
   * Skip the generic placeholder filter for this rule (its format already excludes
   * placeholders, e.g. a checksummed token).
   */
  skipPlaceholderCheck?: boolean;
  /** Lines that must produce a finding of this rule, and lines that must not. */
  tests: { positive: readonly RuleSample[]; negative: readonly RuleSample[] };
}
