import { describe, expect, it } from 'vitest';
import type { Finding } from '../finding.js';
import { computeFingerprint } from '../fingerprint.js';
import { createReport } from '../report.js';
import { PLANTED_SECRET, comparedReport, jinjaVuln, sampleReport } from '../../fixtures/sample-report.js';
import { applyBaseline } from '../compare-reports.js';
import { GITHUB_COMMENT_LIMIT, escapeMarkdownInline, renderMarkdown } from './markdown.js';

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

function manyFindings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) => ({
    ...jinjaVuln,
    id: `GHSA-test-${String(i).padStart(4, '0')}`,
    title: `Advisory number ${i} with a fairly long title describing a deserialisation problem in a parser`,
    description: `Long description ${i}. `.repeat(20),
    package: { ecosystem: 'PyPI', name: `pkg${i % 400}`, version: '1.0.0', fixedVersions: ['1.0.1'] },
    fingerprint: computeFingerprint(['t', String(i)]),
  }));
}

describe('renderMarkdown', () => {
  it('starts with a heading and the counts by severity', () => {
    const md = renderMarkdown(sampleReport());
    expect(md.startsWith('### psr scan\n\n**5 findings** (🟥 critical: **2** · 🟧 high: **1** · 🟨 medium: **1** · 🟦 low: **0** · ⬜ unknown: **1**), 2 suppressed\n')).toBe(true);
    expect(renderMarkdown(sampleReport(), { title: 'Dependency audit' }).startsWith('### Dependency audit\n')).toBe(true);
  });

  it('lists every file of a finding found in several', () => {
    const inTwo = { ...jinjaVuln, locations: [{ file: 'svc1/requirements.txt', line: 3 }, { file: 'svc2/requirements.txt', line: 4 }] };
    expect(renderMarkdown(sampleReport([inTwo]))).toContain('| svc1/requirements.txt:3<br>svc2/requirements.txt:4 |');
  });

  it('groups vulnerabilities by package with the suggested upgrade, and secrets by file', () => {
    const md = renderMarkdown(sampleReport());
    // The heading says where the pin holds: its environment marker.
    const jinja = md.split('#### jinja2 2.10 (PyPI) where <code>python\\_version &gt;= "3.6"</code> in <code>services/api/requirements.txt</code> — upgrade to **2.11.3**')[1]!.split('####')[0]!;
    const rows = jinja.split('\n').filter((l) => l.startsWith('| 🟧') || l.startsWith('| 🟨'));
    expect(rows).toHaveLength(2);
    expect(cells(rows[0]!)).toEqual([
      '🟧 high',
      '[GHSA-462w-v97r-4m45](https://github.com/advisories/GHSA-462w-v97r-4m45)<br>CVE-2019-10906, PYSEC-2019-217',
      'Jinja2 sandbox escape via string formatting',
      'services/api/requirements.txt:7',
      '2.10.1',
    ]);
    expect(md).toContain('#### <code>deploy/.env</code>');
    expect(md).toContain('ghp\\_…(40)');
    expect(md).not.toContain(PLANTED_SECRET);
  });

  it('folds long descriptions into <details> and summarises suppressed findings', () => {
    const md = renderMarkdown(sampleReport());
    expect(md).toContain('<details><summary>GHSA-462w-v97r-4m45: Jinja2 sandbox escape via string formatting</summary>\n\nIn Pallets Jinja');
    expect(md).toContain('<details><summary>2 suppressed findings (1 by inline, 1 by ignore-file)</summary>');
    expect(md).toContain('| 🟨 medium | GHSA-v845-jxx5-vc9f | We never follow redirects with cookies | security@example.com | 2099-01-01 |');
    expect(md).toContain('<summary>1 warning</summary>');
    expect(md).toContain('<sub>Data: osv:PyPI pypa-advisory-db@4f1c2e0 (newest record 2024-05-30) · psr 0.1.0</sub>');
  });

  it('escapes pipes, HTML, backticks and mentions so text cannot break the table or the page', () => {
    const hostile: Finding = {
      ...jinjaVuln,
      title: 'a | b <img src=x onerror=alert(1)> `code` @octocat [link](javascript:x)',
      description: `${'x'.repeat(200)}\n</details><script>alert(1)</script> ping @octocat`,
    };
    const md = renderMarkdown(sampleReport([hostile]));
    const row = md.split('\n').find((l) => l.startsWith('| 🟧'))!;
    expect(cells(row)).toHaveLength(5);
    expect(cells(row)[2]).toBe('a \\| b &lt;img src=x onerror=alert(1)&gt; \\`code\\` &#64;octocat \\[link\\](javascript:x)');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<script>');
    expect(md.match(/<\/details>/g)).toHaveLength(md.match(/<details>/g)!.length);
    expect(md).not.toMatch(/(?<!&#64;)@octocat/);
    expect(escapeMarkdownInline('x\ny|z')).toBe('x y\\|z');
  });

  it('stays under the size limit and says how many findings were left out', () => {
    const report = sampleReport(manyFindings(3000));
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(65_000).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const shownRows = md.split('\n').filter((l) => l.startsWith('| 🟧')).length;
    expect(shownRows).toBeGreaterThan(50);
    expect(md).toContain(`\n\n…and ${3000 - shownRows} more findings not shown here`);
    // The tail (suppressed summary, warnings, data) is never cut.
    expect(md).toContain('<sub>Data: osv:PyPI');

    const small = renderMarkdown(report, { maxLength: 5000 });
    expect(small.length).toBeLessThanOrEqual(5000);
    const smallRows = small.split('\n').filter((l) => l.startsWith('| 🟧')).length;
    expect(small).toContain(`…and ${3000 - smallRows} more findings`);
  });

  it('says when there is nothing to report, and warns about partial scans', () => {
    const base = { tool: { name: 'psr' as const, version: '0.1.0', plugin: 'psr:secret-scan' }, run: { startedAt: '2024-06-01T12:00:00.000Z', durationMs: 1, target: '.' }, findings: [] };
    expect(renderMarkdown(createReport(base))).toContain('### psr secret-scan\n\n**0 findings**');
    expect(renderMarkdown(createReport(base))).toContain('No findings. ✅');
    const partial = renderMarkdown(createReport({ ...base, errors: [{ code: 'PSR_SCAN_SOURCE', message: 'osv.dev | unreachable' }] }));
    expect(partial).toContain('> [!WARNING]\n> **Partial scan**: 1 error; findings may be missing.\n> - osv.dev \\| unreachable (`PSR_SCAN_SOURCE`)');
    expect(partial).not.toContain('No findings. ✅');
  });
});

describe('renderMarkdown with hostile text (seeded)', () => {
  it('keeps every finding row at exactly five cells and never emits raw HTML from data', async () => {
    const { hostileText, seededRandom } = await import('../../fixtures/hostile-text.js');
    const random = seededRandom(20240601);
    for (let round = 0; round < 300; round++) {
      const finding: Finding = {
        ...jinjaVuln,
        id: `ID-${round}${hostileText(random, 3)}`,
        title: hostileText(random),
        description: `${'d'.repeat(170)}${hostileText(random)}`,
        aliases: [hostileText(random, 2)],
        locations: [{ file: `dir/${hostileText(random, 3)}.txt`, line: 3 }],
        package: { ecosystem: 'PyPI', name: hostileText(random, 2), version: hostileText(random, 2), fixedVersions: [hostileText(random, 2)] },
      };
      const md = renderMarkdown(sampleReport([finding]));
      const rows = md.split('\n').filter((l) => l.startsWith('| 🟧'));
      expect(rows, `round ${round}`).toHaveLength(1);
      expect(cells(rows[0]!), `round ${round}: ${JSON.stringify(finding.title)}`).toHaveLength(5);
      const withoutOwnTags = md.replace(/<\/?(details|summary|sub|br|code)>/g, '');
      expect(withoutOwnTags, `round ${round}`).not.toMatch(/</);
      expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
    }
  });

  it('stays within maxLength even when the fixed parts alone are long', () => {
    const longTitle = 'T'.repeat(10_000);
    const md = renderMarkdown(sampleReport(), { title: longTitle, maxLength: 2000 });
    expect(md.length).toBeLessThanOrEqual(2000);
  });
});

describe('renderMarkdown of a report compared with a baseline', () => {
  it('says how it compares, shows the new findings first and folds away the ones the baseline has', () => {
    const md = renderMarkdown(comparedReport());
    expect(md).toContain('\n\nAgainst the baseline <code>main-scan.json</code>: **2 new**, 2 unchanged, 1 resolved\n');
    const [before, unchanged] = md.split('<details><summary>2 unchanged findings (in the baseline too)</summary>');
    const added = before!.split('**🆕 2 new findings** (not in the baseline):')[1]!;
    expect(added).toContain('GHSA-h5c8-rqwp-cp95');
    expect(added).toContain('github-pat-classic');
    expect(added).not.toContain('GHSA-462w-v97r-4m45');
    expect(unchanged!.split('</details>')[0]).toContain('GHSA-462w-v97r-4m45');
    expect(md).toContain('<details><summary>✔️ 1 resolved finding (in the baseline, gone now)</summary>\n\n| Severity | ID | Package | Title |\n| --- | --- | --- | --- |\n| 🟥 critical | GHSA-p6mc-m468-83gw | lodash 4.17.15 | Prototype Pollution in lodash |');
  });

  it('lists a finding of a scan, open or resolved, without repeating its package in the title', () => {
    const gone: Finding = { ...jinjaVuln, title: `jinja2 2.10: ${jinjaVuln.title}` };
    const report = createReport({ tool: { name: 'psr', version: '0.1.0', plugin: 'psr:scan' }, run: { startedAt: '2026-12-06T00:00:00.000Z', durationMs: 1, target: '.' }, findings: [] });
    applyBaseline(report, { findings: [gone] }, 'main-scan.json');
    const row = renderMarkdown(report).split('\n').find((l) => l.includes(jinjaVuln.id))!;
    expect(cells(row).slice(2)).toEqual([`jinja2 2.10`, escapeMarkdownInline(jinjaVuln.title)]);
    // Open findings sit under a `jinja2 2.10 (PyPI)` heading: their rows do not repeat it either.
    const open = createReport({ tool: { name: 'psr', version: '0.1.0', plugin: 'psr:scan' }, run: { startedAt: '2026-12-06T00:00:00.000Z', durationMs: 1, target: '.' }, findings: [gone] });
    const openRow = renderMarkdown(open).split('\n').find((l) => l.startsWith('| ') && l.includes(jinjaVuln.id))!;
    expect(cells(openRow)[2]).toBe(escapeMarkdownInline(jinjaVuln.title));
  });

  it('says when nothing is new, and renders as before without a baseline', () => {
    const report = sampleReport([{ ...jinjaVuln }]);
    applyBaseline(report, sampleReport([{ ...jinjaVuln }]), 'b.json');
    expect(renderMarkdown(report)).toContain('No new findings. ✅');
    expect(renderMarkdown(sampleReport())).not.toContain('baseline');
  });

  it('keeps the new findings in a comment that cannot hold every finding', () => {
    const old = manyFindings(600);
    const fresh = { ...jinjaVuln, id: 'GHSA-zzzz-newx-0001', package: { ecosystem: 'PyPI', name: 'zzz-last-package', version: '1.0.0' }, fingerprint: 'fresh' };
    const report = sampleReport([...old.map((f) => ({ ...f })), fresh]);
    applyBaseline(report, sampleReport(old), 'b.json');
    const md = renderMarkdown(report, { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md.indexOf('GHSA-zzzz-newx-0001')).toBeGreaterThan(0);
    expect(md.indexOf('GHSA-zzzz-newx-0001')).toBeLessThan(md.indexOf('GHSA-test-'));
    expect(md).toMatch(/…and \d+ more findings not shown here/);
  });
});
