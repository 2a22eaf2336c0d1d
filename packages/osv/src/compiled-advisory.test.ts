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

  it("links a finding to the vulnerability's own advisory page, not a distribution's errata", () => {
    const url = (extra: string): string => compileAdvisory(parseAdvisory(record(extra), 'PYSEC-0000-1.yaml'), 'test').entries[0]!.advisory.url;
    const refs = (...list: Array<[string, string]>): string => `references:\n${list.map(([type, u]) => `- type: ${type}\n  url: ${u}`).join('\n')}`;
    const aliases = 'aliases:\n- CVE-2019-11236\n- GHSA-r64q-w8jr-g9qp';
    // urllib3's PYSEC-2019-132: Red Hat errata come first among its ADVISORY references.
    expect(url(`${aliases}\n${refs(['REPORT', 'https://github.com/urllib3/urllib3/issues/1553'], ['ADVISORY', 'https://access.redhat.com/errata/RHSA-2019:2272'], ['ADVISORY', 'https://nvd.nist.gov/vuln/detail/CVE-2019-11236'], ['ADVISORY', 'https://github.com/advisories/GHSA-r64q-w8jr-g9qp'])}`)).toBe(
      'https://github.com/advisories/GHSA-r64q-w8jr-g9qp',
    );
    expect(url(`${aliases}\n${refs(['ADVISORY', 'https://access.redhat.com/errata/RHSA-2019:2272'], ['ADVISORY', 'https://nvd.nist.gov/vuln/detail/CVE-2019-11236'])}`)).toBe('https://nvd.nist.gov/vuln/detail/CVE-2019-11236');
    // A page for another CVE whose number starts the same is not this one's.
    expect(url(`aliases:\n- CVE-2019-1123\n${refs(['ADVISORY', 'https://nvd.nist.gov/vuln/detail/CVE-2019-11236'])}`)).toBe('https://osv.dev/vulnerability/PYSEC-0000-1');
    expect(url(refs(['WEB', 'https://example.org/blog'], ['ADVISORY', 'https://access.redhat.com/errata/RHSA-2019:2272']))).toBe('https://osv.dev/vulnerability/PYSEC-0000-1');
  });
});
