import { describe, expect, it } from 'vitest';
import { parseAdvisory } from './advisory.js';
import { compileAdvisory } from './compiled-advisory.js';
import { matchPackage } from './match.js';

const record = (extra: string): string => `id: PYSEC-0000-1
${extra}
affected:
- package:
    ecosystem: PyPI
    name: demo
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: "2.0"
`;

describe('compileAdvisory', () => {
  it('reads a record whose optional fields have the wrong shape as if they were absent', () => {
    for (const extra of ['severity: CVSS:3.1/AV:N', 'details:\n- a list\n- not text', 'summary:\n  nested: map', 'database_specific:\n  severity: constructor', 'references: not-a-list', 'aliases: CVE-0000-1']) {
      const { entries } = compileAdvisory(parseAdvisory(record(extra), 'PYSEC-0000-1.yaml'), 'test');
      expect(entries, extra).toHaveLength(1);
      const advisory = entries[0]!.advisory;
      expect(advisory.severity, extra).toEqual({ level: 'unknown', source: 'none' });
      expect(typeof advisory.summary, extra).toBe('string');
      expect(matchPackage([advisory], 'PyPI', 'demo', '1.0').groups.map((g) => [g.id, g.fixedIn]), extra).toEqual([['PYSEC-0000-1', '2.0']]);
    }
  });
});
