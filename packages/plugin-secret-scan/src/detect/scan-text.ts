import type { Confidence, RuleContext, SecretRule } from '../rules/rule.js';
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
/** How far around a keyword a single-line rule looks (key names before, tokens after). */
const BEFORE = 256;
const AFTER = 400;
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
   * file chunks start mid-file); `context` tells validators which file the text is from.
   * Detections come back ordered by offset.
   */
  scan(text: string, firstLine = 1, bytes?: Uint8Array, context: RuleContext = {}): RawDetection[] {
    // 1. One pass: keyword hits become per-rule windows around them (merged when they touch).
    const windows = new Map<number, number[]>(); // rule index → [start, end, start, end, …]
    const keywords = this.prefilter.keywords;
    // `bytes`, when given, is `text` in latin1 (one char per byte), so offsets agree.
    this.prefilter.scan(bytes ?? text, (keyword, end) => {
      const start = end - keywords[keyword]!.length;
      for (const ruleIndex of this.prefilter.rulesFor(keyword)) {
        const rule = this.compiled[ruleIndex]!.rule;
        let a: number;
        let b: number;
        if (rule.multiline) {
          a = lineStartBefore(text, start, MULTILINE_WINDOW);
          b = Math.min(text.length, end + MULTILINE_WINDOW);
        } else {
          a = lineStartBefore(text, start, rule.before ?? BEFORE);
          b = lineEndAfter(text, end, rule.reach ?? AFTER);
        }
        const list = windows.get(ruleIndex);
        if (!list) windows.set(ruleIndex, [a, b]);
        else if (a <= list[list.length - 1]!) list[list.length - 1] = Math.max(b, list[list.length - 1]!);
        else list.push(a, b);
      }
    });
    if (windows.size === 0) return [];

    // 2. Each rule's regex runs only inside its windows.
    const found: Array<RawDetection & { end: number; order: number }> = [];
    for (const [ruleIndex, list] of windows) {
      const { rule, regex } = this.compiled[ruleIndex]!;
      for (let w = 0; w < list.length; w += 2) {
        const a = list[w]!;
        const b = list[w + 1]!;
        // One character of context before the window so look-behind boundaries see real text.
        const base = a > 0 ? a - 1 : 0;
        const window = text.slice(base, b);
        regex.lastIndex = 0;
        let rm: RegExpExecArray | null;
        while ((rm = regex.exec(window)) !== null) {
          if (rm[0].length === 0) {
            regex.lastIndex++;
            continue;
          }
          if (a > 0 && rm.index === 0) continue; // starts on the context character
          const group = secretGroup(rm);
          if (!group) continue;
          const [secret, rel] = group;
          const confidence = judge(rule, secret, rm, context);
          if (!confidence) continue;
          const offset = base + rel;
          found.push({ rule, secret, offset, end: offset + secret.length, line: 0, column: 0, confidence, inlineAllowed: false, order: ruleIndex });
        }
      }
    }
    const kept = resolveOverlaps(found);

    // 3. Positions and inline `psr-allow` comments, for the few detections only.
    let lineNo = firstLine;
    let counted = 0;
    for (const d of kept) {
      for (let i = text.indexOf('\n', counted); i >= 0 && i < d.offset; i = text.indexOf('\n', i + 1)) {
        lineNo++;
        counted = i + 1;
      }
      const lineStart = text.lastIndexOf('\n', d.offset - 1) + 1;
      let lineEnd = text.indexOf('\n', d.offset);
      if (lineEnd < 0) lineEnd = text.length;
      d.line = lineNo;
      d.column = d.offset - lineStart + 1;
      const allow = INLINE_ALLOW.exec(text.slice(lineStart, lineEnd));
      d.inlineAllowed = allow !== null && (allow[1] === undefined || allow[1].split(/[\s,]+/).filter(Boolean).includes(d.rule.id));
      counted = Math.max(counted, lineStart);
    }
    return kept;
  }
}

/** Start of the line containing `pos`, but at most `limit` characters back. */
function lineStartBefore(text: string, pos: number, limit: number): number {
  const lo = Math.max(0, pos - limit);
  const nl = text.slice(lo, pos).lastIndexOf('\n');
  return nl < 0 ? lo : lo + nl + 1;
}

/** End of the line containing `pos`, but at most `limit` characters on. */
function lineEndAfter(text: string, pos: number, limit: number): number {
  const hi = Math.min(text.length, pos + limit);
  const nl = text.slice(pos, hi).indexOf('\n');
  return nl < 0 ? hi : pos + nl;
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

function judge(rule: SecretRule, secret: string, m: RegExpExecArray, context: RuleContext): Confidence | undefined {
  if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return undefined;
  if (isDocumentedExample(secret)) return undefined;
  if (!rule.skipPlaceholderCheck && isPlaceholder(secret)) return undefined;
  const verdict = rule.validate ? rule.validate(secret, m, context) : 'unknown';
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
