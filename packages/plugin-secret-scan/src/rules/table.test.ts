import { describe, expect, it } from 'vitest';
import { TextScanner } from '../detect/scan-text.js';
import type { RuleSample } from './rule.js';
import { ruleTitle } from '../finding/to-finding.js';
import { builtinRules } from './table.js';

const scanner = new TextScanner(builtinRules);
const resolve = async (s: RuleSample): Promise<string> => (typeof s === 'function' ? await s() : s);

describe('rule table', () => {
  it('has at least 80 rules with unique kebab-case ids, keywords and tests', () => {
    expect(builtinRules.length).toBeGreaterThanOrEqual(80);
    const ids = builtinRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of builtinRules) {
      expect(r.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(r.keywords.length, r.id).toBeGreaterThan(0);
      expect(r.keywords.every((k) => k === k.toLowerCase()), r.id).toBe(true);
      expect(r.tests.positive.length, r.id).toBeGreaterThan(0);
      expect(r.tests.negative.length, r.id).toBeGreaterThan(0);
    }
  });

  it('gives every rule a title that names the credential (not a stub cut at a parenthesis: "RSA")', () => {
    for (const r of builtinRules) expect(ruleTitle(r), r.id).toMatch(/\b(?:keys?|accesskey|tokens?|secret|password|credentials|signature|string|url|web token)\b/i);
    expect(ruleTitle(builtinRules.find((r) => r.id === 'private-key-rsa')!)).toBe('RSA private key');
    expect(ruleTitle(builtinRules.find((r) => r.id === 'private-key-ec')!)).toBe('Elliptic-curve private key');
    expect(ruleTitle(builtinRules.find((r) => r.id === 'github-pat')!)).toBe('GitHub personal access token');
  });

  for (const rule of builtinRules) {
    describe(rule.id, () => {
      it('finds every positive case', async () => {
        for (const sample of rule.tests.positive) {
          const text = await resolve(sample);
          const hits = scanner.scan(text).map((d) => d.rule.id);
          expect(hits, `${rule.id} should match: ${text.slice(0, 120)}`).toContain(rule.id);
        }
      });
      it('ignores every negative case', async () => {
        for (const sample of rule.tests.negative) {
          const text = await resolve(sample);
          const hits = scanner.scan(text).map((d) => `${d.rule.id}`);
          expect(hits, `${rule.id} should not match: ${text.slice(0, 120)}`).toEqual([]);
        }
      });
    });
  }
});
