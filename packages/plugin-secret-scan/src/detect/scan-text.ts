import type { Confidence, SecretRule } from '../rules/rule.js';
import { shannonEntropy } from './entropy.js';
import { isDocumentedExample, isPlaceholder } from './false-positives.js';
import { KeywordPrefilter } from './keyword-prefilter.js';

/** A rule ready for scanning: its regex cloned with the `g` and `d` flags. */
interface CompiledRule {
  rule: SecretRule;
  regex: RegExp;
}

/**
 * A raw detection. It holds the secret itself, so it must never leave the engine: the
 * caller turns it into a redacted, fingerprinted finding straight away.
 */
export interface RawDetection {
  rule: SecretRule;
  /** The secret text. Internal only. */
  secret: string;
  /** Offset of the secret in the scanned text. */
  offset: number;
  /** 1-based line and column of the secret's first character. */
  line: number;
  column: number;
  confidence: Confidence;
  /** Set when an inline `psr-allow` comment on the line covers this rule. */
  inlineAllowed: boolean;
}

const MULTILINE_WINDOW = 24_000;
const INLINE_ALLOW = /psr-allow(?::\s*([A-Za-z0-9_, -]+))?/;

/**
 * The detection engine for text: keyword prefilter, per-rule regexes on the matching lines,
 * entropy floors, documented-example and placeholder filters, structural validators, inline
 * `psr-allow` comments and overlap resolution (the most specific rule wins).
 *
 * @example
 * ```ts
 * const engine = new TextScanner(builtinRules);
 * for (const d of engine.scan(text)) console.log(d.rule.id, d.line);
 * ```
 */
export class TextScanner {
  private readonly compiled: CompiledRule[];
  private readonly prefilter: KeywordPrefilter;

  constructor(rules: readonly SecretRule[]) {
    this.compiled = rules.map((rule) => ({
      rule,
      regex: new RegExp(rule.regex.source, `${rule.regex.flags.replace(/[gdy]/g, '')}gd`),
    }));
    this.prefilter = new KeywordPrefilter(rules);
  }

  /** The rules this scanner runs. */
  get rules(): readonly SecretRule[] {
    return this.compiled.map((c) => c.rule);
  }

  /**
   * Scan `text`. `firstLine` is the line number of the text's first line (history hunks and
   * file chunks start mid-file). Detections come back ordered by offset.
   */
  scan(text: string, firstLine = 1): RawDetection[] {
    const kw = this.prefilter.regex;
    kw.lastIndex = 0;
    // Group keyword hits by line: line start → set of rule indices.
    const lines: Array<{ start: number; end: number; rules: Set<number> }> = [];
    let current: { start: number; end: number; rules: Set<number> } | undefined;
    let m: RegExpExecArray | null;
    while ((m = kw.exec(text)) !== null) {
      const at = m.index;
      if (!current || at > current.end) {
        const start = text.lastIndexOf('\n', at - 1) + 1;
        let end = text.indexOf('\n', at);
        if (end < 0) end = text.length;
        current = { start, end, rules: new Set() };
        lines.push(current);
      }
      for (const r of this.prefilter.rulesFor(m[0])) current.rules.add(r);
      // Resume right after the start: a keyword may begin inside this one and run past it.
      if (m[0].length > 1) kw.lastIndex = at + 1;
    }
    if (lines.length === 0) return [];

    const found: Array<RawDetection & { end: number; order: number }> = [];
    let countedTo = 0;
    let lineNo = firstLine;
    for (const ln of lines) {
      // Advance the line counter to this line's start.
      for (let i = text.indexOf('\n', countedTo); i >= 0 && i < ln.start; i = text.indexOf('\n', i + 1)) lineNo++;
      countedTo = ln.start;
      const lineText = text.slice(ln.start, ln.end);
      const allow = INLINE_ALLOW.exec(lineText);
      for (const ruleIndex of ln.rules) {
        const { rule, regex } = this.compiled[ruleIndex]!;
        const windowEnd = rule.multiline ? Math.min(text.length, ln.end + MULTILINE_WINDOW) : ln.end;
        const window = rule.multiline ? text.slice(ln.start, windowEnd) : lineText;
        regex.lastIndex = 0;
        let rm: RegExpExecArray | null;
        while ((rm = regex.exec(window)) !== null) {
          if (rm[0].length === 0) {
            regex.lastIndex++;
            continue;
          }
          const group = secretGroup(rm);
          if (!group) continue;
          const [secret, relStart] = group;
          if (rule.multiline && relStart > ln.end - ln.start) break; // belongs to a later line
          const confidence = judge(rule, secret, rm);
          if (!confidence) continue;
          let line = lineNo;
          let lineStart = 0;
          for (let i = window.indexOf('\n'); i >= 0 && i < relStart; i = window.indexOf('\n', i + 1)) {
            line++;
            lineStart = i + 1;
          }
          const allowed = allow !== null && (allow[1] === undefined || allow[1].split(/[\s,]+/).filter(Boolean).includes(rule.id));
          found.push({
            rule,
            secret,
            offset: ln.start + relStart,
            end: ln.start + relStart + secret.length,
            line,
            column: relStart - lineStart + 1,
            confidence,
            inlineAllowed: allowed,
            order: ruleIndex,
          });
        }
      }
    }
    return resolveOverlaps(found);
  }
}

/** The secret of a match: named group `secret`, else the first defined group, else the match. */
function secretGroup(m: RegExpExecArray): [string, number] | undefined {
  const indices = m.indices;
  if (!indices) return undefined;
  const named = m.groups?.['secret'];
  const namedRange = indices.groups?.['secret'];
  if (named !== undefined && namedRange) return [named, namedRange[0]];
  for (let g = 1; g < m.length; g++) {
    const value = m[g];
    const range = indices[g];
    if (value !== undefined && range) return [value, range[0]];
  }
  return [m[0], m.index];
}

function judge(rule: SecretRule, secret: string, m: RegExpExecArray): Confidence | undefined {
  if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return undefined;
  if (isDocumentedExample(secret)) return undefined;
  if (!rule.skipPlaceholderCheck && isPlaceholder(secret)) return undefined;
  const verdict = rule.validate ? rule.validate(secret, m) : 'unknown';
  if (verdict === 'invalid') return undefined;
  return verdict === 'valid' ? 'high' : (rule.confidence ?? 'medium');
}

/** When detections overlap, keep the more specific rule (earlier in the table). */
function resolveOverlaps(found: Array<RawDetection & { end: number; order: number }>): RawDetection[] {
  found.sort((a, b) => a.offset - b.offset || a.order - b.order);
  const kept: Array<RawDetection & { end: number; order: number }> = [];
  for (const d of found) {
    const clash = kept.findIndex((k) => d.offset < k.end && k.offset < d.end);
    if (clash < 0) kept.push(d);
    else if (d.order < kept[clash]!.order) kept[clash] = d;
  }
  return kept.map(({ end: _end, order: _order, ...rest }) => rest);
}
