// The ignore file: what is an input error (with the position of the mistake), and how
// overlapping rules are reported.
import type { Diagnostic } from '@psr/core/errors';
import type { Finding } from '@psr/report';
import { describe, expect, it } from 'vitest';
import { parseIgnoreFile } from './ignore-file.js';
import { applyIgnores } from './run-scan.js';

const FILE = '.psr-ignore.yml';

describe('parseIgnoreFile', () => {
  it('reads entries with their location', async () => {
    const rules = await parseIgnoreFile('ignores:\n  - id: PYSEC-2019-217\n    package: jinja2\n    reason: not reachable\n    expires: 2024-02-29\n', FILE);
    expect(rules).toEqual([{ id: 'PYSEC-2019-217', package: 'jinja2', reason: 'not reachable', expires: '2024-02-29', location: { file: FILE, line: 2, col: 5 } }]);
  });

  it.each(['2020-13-45', '2999-02-30', '2023-02-29', '2025-04-31', '2025-00-10', '2025-01-00', '2025-6-30', 'soon'])(
    'rejects expires %s, pointing at the value',
    async (date) => {
      const text = `ignores:\n  - id: PYSEC-2023-207\n    reason: x\n    expires: ${date}\n`;
      await expect(parseIgnoreFile(text, FILE)).rejects.toMatchObject({
        code: 'PSR_SCAN_IGNORE_FILE',
        message: `ignore of PYSEC-2023-207: expires "${date}" is not a date`,
        hint: expect.stringContaining('YYYY-MM-DD'),
        location: { file: FILE, line: 4, col: 14 },
      });
    },
  );

  it('refuses a file nested deeper than a parse of it can go, as an ignore-file error', async () => {
    const deep = `ignores: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    await expect(parseIgnoreFile(deep, 'ign.yml')).rejects.toMatchObject({ code: 'PSR_SCAN_IGNORE_FILE', message: 'ignore file does not parse: it is nested too deeply to read' });
  });

  it('rejects an unknown top-level key (a misspelt `ignores:` would suppress nothing)', async () => {
    await expect(parseIgnoreFile('# accepted\nignore:\n  - id: PYSEC-2023-207\n    reason: r\n', FILE)).rejects.toMatchObject({
      code: 'PSR_SCAN_IGNORE_FILE',
      message: 'unknown top-level key "ignore" in ignore file',
      hint: expect.stringContaining('did you mean "ignores"?'),
      location: { file: FILE, line: 2, col: 1 },
    });
    await expect(parseIgnoreFile('ignores: []\nowner: me\n', FILE)).rejects.toMatchObject({ location: { line: 2, col: 1 } });
  });
});

function finding(id: string, aliases: string[], pkg: string): Finding {
  return { id, aliases, kind: 'vulnerability', title: id, severity: 'high', locations: [], package: { name: pkg, version: '1.0', ecosystem: 'PyPI' } } as unknown as Finding;
}

describe('applyIgnores', () => {
  it('warns about a repeated rule, and the first one applies', async () => {
    const rules = await parseIgnoreFile(
      'ignores:\n  - id: PYSEC-2023-207\n    reason: first\n  - id: pysec-2023-207\n    reason: second\n',
      FILE,
    );
    const f = finding('PYSEC-2023-207', [], 'flask');
    const warnings: Diagnostic[] = [];
    applyIgnores([f], rules, warnings, '2025-01-01');
    expect(f.suppressed).toEqual({ kind: 'ignore-file', reason: 'first' });
    expect(warnings).toEqual([
      {
        code: 'PSR_SCAN_IGNORE_UNUSED',
        message: 'ignore of pysec-2023-207 repeats the one at line 2: only the first applies',
        hint: expect.any(String),
        location: { file: FILE, line: 4, col: 5 },
      },
    ]);
  });

  it('warns about a repeated rule that matches nothing too, once as unused and once as repeated', async () => {
    const rules = await parseIgnoreFile('ignores:\n  - id: X-1\n    package: a\n    reason: r\n  - id: X-1\n    package: A\n    reason: r\n', FILE);
    const warnings: Diagnostic[] = [];
    applyIgnores([], rules, warnings, '2025-01-01');
    expect(warnings.map((w) => [w.location?.line, w.message])).toEqual([
      [2, 'ignore of X-1 (a) matched no finding'],
      [5, 'ignore of X-1 (A) repeats the one at line 2: only the first applies'],
    ]);
  });

  it('warns about a rule whose findings an earlier rule (by an alias) already suppresses', async () => {
    const rules = await parseIgnoreFile('ignores:\n  - id: CVE-2023-1\n    reason: first\n  - id: PYSEC-2023-9\n    reason: second\n', FILE);
    const f = finding('PYSEC-2023-9', ['CVE-2023-1'], 'flask');
    const warnings: Diagnostic[] = [];
    applyIgnores([f], rules, warnings, '2025-01-01');
    expect(f.suppressed).toMatchObject({ reason: 'first' });
    expect(warnings.map((w) => [w.code, w.location?.line])).toEqual([['PSR_SCAN_IGNORE_UNUSED', 4]]);
    expect(warnings[0]!.message).toContain('already suppressed by the ignore of CVE-2023-1 at line 2');
  });

  it('lets a new entry renew an expired one', async () => {
    const rules = await parseIgnoreFile(
      'ignores:\n  - id: PYSEC-2023-207\n    reason: old\n    expires: 2024-01-01\n  - id: PYSEC-2023-207\n    reason: renewed\n    expires: 2026-01-01\n',
      FILE,
    );
    const f = finding('PYSEC-2023-207', [], 'flask');
    const warnings: Diagnostic[] = [];
    applyIgnores([f], rules, warnings, '2025-01-01');
    expect(f.suppressed).toMatchObject({ reason: 'renewed' });
    expect(warnings.map((w) => w.code)).toEqual(['PSR_SCAN_IGNORE_EXPIRED']);
  });

  it('says an expired rule matches nothing instead of "no longer suppresses" with nothing after it', async () => {
    const rules = await parseIgnoreFile('ignores:\n  - id: PYSEC-2023-207\n    reason: old\n    expires: 2024-01-01\n', FILE);
    const warnings: Diagnostic[] = [];
    applyIgnores([finding('PYSEC-2019-1', [], 'flask')], rules, warnings, '2025-01-01');
    expect(warnings).toEqual([
      { code: 'PSR_SCAN_IGNORE_EXPIRED', message: 'ignore of PYSEC-2023-207 expired on 2024-01-01 and matches no finding', hint: expect.stringMatching(/^remove it/), location: { file: FILE, line: 2, col: 5 } },
    ]);
  });
});
