import { describe, expect, it } from 'vitest';
import { TextScanner } from '../detect/scan-text.js';
import type { RuleSample } from './rule.js';
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
