import type { Diagnostic } from '@psr/core/errors';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { PLANTED_SECRET, comparedReport, jinjaVuln, sampleReport, secretInHistory } from '../../fixtures/sample-report.js';
import { createReport } from '../report.js';
import { renderTable, summaryLine } from './table.js';

const ANSI = /\x1b\[/;

function emptyReport(errors: Diagnostic[] = []) {
  return createReport({
    tool: { name: 'psr', version: '0.1.0', plugin: 'psr:scan' },
    run: { startedAt: '2024-06-01T12:00:00.000Z', durationMs: 1, target: '.' },
    findings: [],
    errors,
  });
}

describe('renderTable', () => {
  it('aligns columns: every row starts each column where the header does', async () => {
    const lines = (await renderTable(sampleReport())).split('\n');
    const header = lines[0]!;
    const idCol = header.indexOf('ID');
    const locCol = header.indexOf('LOCATION');
    const activeRows = lines.slice(1, 6);
    expect(activeRows).toHaveLength(5);
    for (const row of activeRows) {
      expect(row[idCol - 1]).toBe(' ');
      expect(row[idCol]).not.toBe(' ');
      expect(row[locCol - 1]).toBe(' ');
      expect(row[locCol]).not.toBe(' ');
    }
    expect(activeRows[0]).toMatch(/^critical {2}github-pat-classic /);
    expect(lines.find((l) => l.includes('GHSA-462w-v97r-4m45'))).toContain('services/api/requirements.txt:7:1');
    expect(lines.find((l) => l.includes('GHSA-462w-v97r-4m45'))).toContain('2.10.1 (upgrade 2.11.3)');
  });

  it('uses no colour unless asked, and colours severities and dims suppressed rows when asked', async () => {
    expect(await renderTable(sampleReport())).not.toMatch(ANSI);
    const coloured = await renderTable(sampleReport(), { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain('\x1b[31mhigh\x1b[39m');
    const suppressedRow = coloured.split('\n').find((l) => l.includes('GHSA-v845-jxx5-vc9f'))!;
    expect(suppressedRow.startsWith('\x1b[2m')).toBe(true);
  });

  it('fits every line into narrow terminals, keeping ids and the end of paths', async () => {
    for (const width of [40, 60, 80, 120]) {
      const out = await renderTable(sampleReport(), { width });
      for (const line of out.trimEnd().split('\n')) expect(stringWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
    }
    const at60 = await renderTable(sampleReport(), { width: 60 });
    expect(at60).toContain('GHSA-462w-v97r-4m45');
    expect(at60).toMatch(/…\S*\.txt:7:1/);
    // Unlimited width: nothing is cut.
    expect(await renderTable(sampleReport())).not.toContain('…ts.txt');
  });

  it('gives a row two lines when the title would be cut short: whole package, fix and path, the title under the ID', async () => {
    const lines = (await renderTable(sampleReport(), { width: 80 })).split('\n');
    expect(lines[0]).toMatch(/^SEVERITY {2}ID {2,}PACKAGE {2,}FIX$/);
    expect(lines[1]).toMatch(/^ {10}LOCATION {2,}TITLE$/);
    const at = lines.findIndex((l) => l.includes('GHSA-462w-v97r-4m45'));
    // The package cell carries its environment marker, as pip writes it (cut before the name is).
    expect(lines[at]).toMatch(/^high {6}GHSA-462w-v97r-4m45 {2}jinja2 2\.10; python_ve… +2\.10\.1 \(upgrade 2\.11\.3\)$/);
    expect(lines[at + 1]).toMatch(/^ {10}services\/api\/requirements\.txt:7:1 {2}Jinja2 sandbox escape via string f…$/);
    expect(lines[at + 1]!.indexOf('Jinja2')).toBe(lines[1]!.indexOf('TITLE'));
    // Wide enough for a readable title on the row's line: one line a finding.
    const wide = (await renderTable(sampleReport(), { width: 190 })).split('\n');
    expect(wide[0]).toMatch(/^SEVERITY {2}ID .*FIX {2,}TITLE$/);
    expect(wide.find((l) => l.includes('GHSA-462w-v97r-4m45'))).toMatch(/requirements\.txt:7:1 {2,}2\.10\.1 \(upgrade 2\.11\.3\) {2,}Jinja2 sandbox escape via string formatting$/);
  });

  it('lists suppressed findings apart, with a count and the reason', async () => {
    const out = await renderTable(sampleReport());
    const [active, suppressed] = out.split('Suppressed (2):');
    expect(active).not.toContain('GHSA-v845-jxx5-vc9f');
    expect(suppressed).toContain('ignore-file: We never follow redirects with cookies (until 2099-01-01)');
    expect(suppressed).toContain('inline: psr-allow comment: test fixture');
  });

  it('ends with the counts, the data snapshot and warnings; says PARTIAL when a source failed', async () => {
    const out = await renderTable(sampleReport());
    expect(out).toContain('\n5 findings: 2 critical, 1 high, 1 medium, 1 unknown; 2 suppressed\n');
    expect(out).toContain('Data: osv:PyPI pypa-advisory-db@4f1c2e0 (newest record 2024-05-30)');
    expect(out).toContain('warning: requirements.txt:5:1: requirement "django>=3" is not pinned; not scanned [PSR_SCAN_UNPINNED]');
    const partial = await renderTable(emptyReport([{ code: 'PSR_SCAN_SOURCE', message: 'osv.dev unreachable' }]));
    expect(partial).toContain('No findings in the parts that could be scanned.');
    expect(partial).toContain('error: osv.dev unreachable [PSR_SCAN_SOURCE]');
    expect(partial).toContain('PARTIAL SCAN (1 error): 0 findings; 0 suppressed');
    expect(await renderTable(emptyReport())).toBe('No findings.\n\n0 findings; 0 suppressed\n');
    expect(summaryLine(sampleReport([jinjaVuln]))).toBe('1 finding: 1 high; 0 suppressed');
  });

  it('leaves errors and warnings out for a caller that reports them itself, keeping the counts', async () => {
    const out = await renderTable(sampleReport(), { diagnostics: false });
    expect(out).not.toContain('warning:');
    expect(out).toContain('\n5 findings: 2 critical, 1 high, 1 medium, 1 unknown; 2 suppressed\n');
    const partial = await renderTable(emptyReport([{ code: 'PSR_SCAN_SOURCE', message: 'osv.dev unreachable' }]), { diagnostics: false });
    expect(partial).not.toContain('error:');
    expect(partial).toContain('PARTIAL SCAN (1 error): 0 findings; 0 suppressed');
  });

  it('wraps errors, warnings and the summary on a narrow terminal instead of cutting them', async () => {
    const message = 'included file requirements/base.txt not found: its requirements are not scanned';
    const out = await renderTable(emptyReport([{ code: 'PSR_LOCKFILE_INCLUDE', message, location: { file: 'requirements.txt', line: 1, col: 1 } }]), { width: 40 });
    const lines = out.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    const at = lines.findIndex((l) => l.startsWith('error: '));
    const whole = lines.slice(at, lines.findIndex((l, i) => i > at && l === '')).map((l, i) => (i === 0 ? l : l.replace(/^ {2}/, ''))).join(' ');
    expect(whole).toBe(`error: requirements.txt:1:1: ${message} [PSR_LOCKFILE_INCLUDE]`);
    expect(out).toContain('PARTIAL SCAN (1 error): 0 findings; 0');
    expect(out).not.toContain('…');
  });

  it('shows secrets redacted and the commit of history findings', async () => {
    const out = await renderTable(sampleReport([secretInHistory]));
    expect(out).toContain('deploy/.env:3:14 @9fceb02d');
    expect(out).toContain('GitHub personal access token (classic) ghp_…(40)');
    expect(out).not.toContain(PLANTED_SECRET);
    expect(out.split('\n')[0]).not.toContain('PACKAGE');
  });

  it('shows the first two files of a finding found in several, and how many more', async () => {
    const inThree = { ...jinjaVuln, locations: ['svc1', 'svc2', 'svc3'].map((d) => ({ file: `${d}/requirements.txt`, line: 3, col: 1 })) };
    const out = await renderTable(sampleReport([inThree]));
    expect(out).toContain('svc1/requirements.txt:3:1, svc2/requirements.txt:3:1 (+1 more)');
  });

  it('drops the package from the front of a title, as the PACKAGE column shows it', async () => {
    const prefixed = { ...jinjaVuln, title: 'jinja2 2.10: Jinja2 sandbox escape via string formatting' };
    const other = { ...jinjaVuln, title: 'jinja2 3.0: another version in front', fingerprint: 'x' };
    const rows = (await renderTable(sampleReport([prefixed, other]))).split('\n').slice(1, 3);
    expect(rows[0]).toMatch(/jinja2 2\.10; python_version .*\(upgrade 2\.11\.3\) {2}Jinja2 sandbox escape via string formatting$/);
    expect(rows[0]).not.toContain('jinja2 2.10:');
    expect(rows[1]).toMatch(/ {2}jinja2 3\.0: another version in front$/);
  });

  it('strips terminal control sequences from advisory text and aligns wide characters', async () => {
    const hostile = { ...jinjaVuln, title: 'evil\x1b[2J\x1b[31mred\x07 title\r\nnext', locations: [{ file: '中文/requirements.txt', line: 1 }] };
    const out = await renderTable(sampleReport([hostile, { ...jinjaVuln, fingerprint: 'x' }]));
    expect(out).not.toMatch(ANSI);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    expect(out).toContain('evilred title next');
    const [header, first, second] = out.split('\n');
    const fixCol = stringWidth(header!.slice(0, header!.indexOf('FIX')));
    for (const row of [first!, second!]) {
      expect(stringWidth(row.slice(0, row.indexOf('2.10.1 (upgrade')))).toBe(fixCol);
    }
    expect(second).toContain('中文/requirements.txt:1');
  });
});

describe('renderTable column widths', () => {
  it('counts Latin-1 letters and typographic punctuation as one column, as string-width does', async () => {
    const titles = ['Café crème — “naïve” parsing…', 'plain\u00a0ASCII title', 'Größe ½ ±1 «quoted» ‘x’ † ‰'];
    // The same characters in a middle column (LOCATION): a wrong width there moves the next column.
    const files = ['req/naïve—«x».txt', 'requirements.txt', 'réq/zürich….txt'];
    const findings = titles.map((title, i) => ({ ...jinjaVuln, title, locations: [{ file: files[i]!, line: 1 }], fingerprint: `${i}` }));
    // Titles on the rows' lines (200), and on second lines behind the location (60, 90).
    for (const width of [60, 90, 200]) {
      const out = await renderTable(sampleReport(findings), { width });
      const lines = out.split('\n');
      const header = lines.find((l) => l.includes('TITLE'))!;
      const titleCol = stringWidth(header.slice(0, header.indexOf('TITLE')));
      for (const title of titles) {
        const row = lines.find((l) => l.includes(title.slice(0, 4)))!;
        expect(stringWidth(row.slice(0, row.indexOf(title.slice(0, 4))))).toBe(titleCol);
      }
      for (const line of out.trimEnd().split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(width);
    }
  });
});

describe('renderTable with hostile text (seeded)', () => {
  it('never exceeds the width and never lets control characters through', async () => {
    const { hostileText, seededRandom } = await import('../../fixtures/hostile-text.js');
    const random = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      const width = 24 + Math.floor(random() * 176);
      const findings = Array.from({ length: 4 }, (_, i) => ({
        ...jinjaVuln,
        id: `ID-${hostileText(random, 2)}`,
        title: hostileText(random, 20),
        locations: [{ file: hostileText(random, 4), line: i + 1 }],
        package: { ecosystem: 'npm', name: hostileText(random, 3), version: '1.0.0', fixedVersions: [hostileText(random, 2)] },
        fingerprint: `${round}-${i}`,
      }));
      const out = await renderTable(sampleReport(findings), { width });
      for (const line of out.trimEnd().split('\n')) {
        expect(stringWidth(line), `round ${round} width ${width}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(width);
        expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
      }
    }
  });
});

describe('renderTable of a report compared with a baseline', () => {
  it('marks new findings in a NEW column, lists resolved ones, and ends with the comparison', async () => {
    const out = await renderTable(comparedReport());
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^SEVERITY {2}NEW {2}ID {2,}PACKAGE/);
    const row = (id: string): string => lines.find((l) => l.includes(id))!;
    expect(row('GHSA-h5c8-rqwp-cp95')).toMatch(/^medium {4}new {2}GHSA-h5c8-rqwp-cp95/);
    expect(row('GHSA-462w-v97r-4m45')).toMatch(/^high {6} {5}GHSA-462w-v97r-4m45/);
    const resolved = out.split('Resolved since the baseline (1):\n')[1]!;
    expect(resolved.split('\n')[1]).toMatch(/^critical {2}GHSA-p6mc-m468-83gw {2}lodash 4\.17\.15 {2}Prototype Pollution in lodash$/);
    expect(out).toContain('\n4 findings: 1 critical, 1 high, 1 medium, 1 unknown; 1 suppressed\n2 new, 2 unchanged, 1 resolved (baseline main-scan.json)\n');
  });

  it('keeps the NEW column within narrow terminals', async () => {
    for (const width of [40, 60, 80]) {
      const out = await renderTable(comparedReport(), { width });
      for (const line of out.trimEnd().split('\n')) expect(stringWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(out).toContain(' new ');
    }
  });
});
