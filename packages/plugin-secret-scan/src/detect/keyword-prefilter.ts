import type { SecretRule } from '../rules/rule.js';

/**
 * One pass over the text finds every rule keyword; only rules whose keyword occurs on a line
 * run their regex on that line. The pass is one case-insensitive alternation regex: V8's
 * irregexp compiles the alternation of short literals into a single automaton with a
 * first-character quick check, which measured faster here than the maintained JS Aho–Corasick
 * package (modern-ahocorasick) because it runs in native code over the string without
 * per-character JS calls.
 */
export class KeywordPrefilter {
  readonly regex: RegExp;
  private rulesByKeyword = new Map<string, number[]>();

  constructor(rules: readonly SecretRule[]) {
    rules.forEach((rule, index) => {
      if (rule.keywords.length === 0) throw new Error(`rule ${rule.id} has no keywords`);
      for (const keyword of rule.keywords) {
        const k = keyword.toLowerCase();
        const list = this.rulesByKeyword.get(k) ?? [];
        if (!list.includes(index)) list.push(index);
        this.rulesByKeyword.set(k, list);
      }
    });
    const keywords = [...this.rulesByKeyword.keys()].sort((a, b) => b.length - a.length);
    // The alternation reports the longest keyword at each position; a shorter keyword inside
    // it (`pass` inside `password=`) must enable its rules too.
    const closure = new Map<string, number[]>();
    for (const k of keywords) {
      const set = new Set<number>();
      for (const other of keywords) if (k.includes(other)) for (const r of this.rulesByKeyword.get(other) ?? []) set.add(r);
      closure.set(k, [...set]);
    }
    this.rulesByKeyword = closure;
    this.regex = new RegExp(keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  }

  /** Indices (into the rule list) of the rules a keyword occurrence enables. */
  rulesFor(keyword: string): readonly number[] {
    return this.rulesByKeyword.get(keyword.toLowerCase()) ?? [];
  }
}
