import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sampleReport } from '../fixtures/sample-report.js';
import { parseReport } from './parse-report.js';
import { readReport } from './read-report.js';
import { renderJson } from './render/json.js';
import { renderSarif } from './render/sarif.js';

function thrown(fn: () => unknown): { code: string; message: string; hint?: string; location?: { line: number; col: number } } {
  try {
    fn();
  } catch (error) {
    return error as ReturnType<typeof thrown>;
  }
  throw new Error('expected an error');
}

describe('parseReport', () => {
  it('round-trips a rendered report', () => {
    const report = sampleReport();
    expect(parseReport(renderJson(report))).toEqual(JSON.parse(renderJson(report)));
    expect(parseReport(`\ufeff${renderJson(report)}`).findings).toHaveLength(7);
  });

  it('accepts a newer minor version and drops fields it does not know', () => {
    const data = JSON.parse(renderJson(sampleReport())) as Record<string, unknown>;
    data.schemaVersion = '1.4.0';
    data.futureField = { x: 1 };
    const parsed = parseReport(JSON.stringify(data));
    expect(parsed.schemaVersion).toBe('1.4.0');
    expect('futureField' in parsed).toBe(false);
  });

  it('points at the line and column of malformed or truncated JSON', () => {
    const text = renderJson(sampleReport());
    const truncated = thrown(() => parseReport(text.slice(0, 300), 'baseline.json'));
    expect(truncated.code).toBe('PSR_REPORT_INVALID');
    expect(truncated.message).toMatch(/^baseline\.json is not valid JSON/);
    expect(truncated.hint).toContain('truncated');
    const broken = thrown(() => parseReport('{\n  "schemaVersion": "1.0.0",\n  oops\n}', 'b.json'));
    expect(broken.location).toMatchObject({ line: 3, col: 3 });
  });

  it('says in one short line why text is not JSON, never quoting the text, at the offending character', () => {
    // V8 gives no position for an unexpected token, and quotes the start of the text, newlines and all.
    const prose = thrown(() => parseReport('  # last scan\nsecret=hunter2\nmore\n', 'base.json'));
    expect(prose).toMatchObject({ code: 'PSR_REPORT_INVALID', message: 'base.json is not valid JSON: invalid symbol "#"', location: { file: 'base.json', line: 1, col: 3 } });
    const comma = thrown(() => parseReport('{\n  "schemaVersion": "1.1.0",\n  "findings": [1,]\n}', 'b.json'));
    expect(comma).toMatchObject({ message: 'b.json is not valid JSON: value expected', location: { line: 3, col: 18 } });
    expect(thrown(() => parseReport('\ufeff{"a": 1', 'bom.json')).location).toMatchObject({ line: 1, col: 8 });
  });

  it('rejects SARIF, other versions, binary garbage and wrong shapes with a clear message', () => {
    expect(thrown(() => parseReport(renderSarif(sampleReport()), 'x.sarif')).message).toBe('x.sarif is a SARIF log (version 2.1.0), not a psr JSON report');
    expect(thrown(() => parseReport('{"something":"else"}', 'x.json')).message).toBe('x.json is not a psr JSON report (no "schemaVersion")');
    const newer = thrown(() => parseReport('{"schemaVersion":"2.0.0"}', 'v2.json'));
    expect([newer.message, newer.hint]).toEqual(['v2.json uses report format 2.0.0; this psr reads 1.x', 'it was written by a newer psr: upgrade psr, or regenerate the report with this one']);
    expect(thrown(() => parseReport('{"schemaVersion":"0.9.0"}', 'v0.json')).hint).toBe('regenerate the report with this version of psr');
    expect(thrown(() => parseReport('\u0000\u0001PNG\u0002', 'logo.png')).code).toBe('PSR_REPORT_INVALID');
    expect(thrown(() => parseReport('[]', 'a.json')).code).toBe('PSR_REPORT_INVALID');
    const data = JSON.parse(renderJson(sampleReport())) as { findings: { severity: string }[] };
    data.findings[2]!.severity = 'severe';
    expect(thrown(() => parseReport(JSON.stringify(data), 'r.json')).message).toMatch(/^r\.json: findings\[2\]\.severity: /);
  });
});

describe('parseReport of other tools’ output', () => {
  it('names the format people mistake for a psr report, with a hint saying what a baseline is', () => {
    const cases: Array<[string, unknown]> = [
      ['a secret-scan baseline (`psr secret-scan --update-baseline`), not a psr JSON report', { version: 1, tool: 'psr secret-scan', createdAt: '2026-01-01T00:00:00Z', findings: [] }],
      ['an npm audit report, not a psr JSON report', { auditReportVersion: 2, vulnerabilities: {}, metadata: {} }],
      ['a Trivy report, not a psr JSON report', { SchemaVersion: 2, ArtifactName: '.', ArtifactType: 'filesystem', Results: [] }],
      ['a Grype report, not a psr JSON report', { matches: [], source: {}, descriptor: { name: 'grype' } }],
      ['a pip-audit report, not a psr JSON report', { dependencies: [{ name: 'jinja2', version: '2.10', vulns: [] }], fixes: [] }],
      ['not a psr JSON report (it has "results", as osv-scanner writes, and no "schemaVersion")', { results: [{ source: { path: 'requirements.txt' }, packages: [] }] }],
    ];
    for (const [what, doc] of cases) {
      const error = thrown(() => parseReport(JSON.stringify(doc), 'other.json'));
      expect(error).toMatchObject({ code: 'PSR_REPORT_INVALID', message: `other.json is ${what}`, location: { file: 'other.json', line: 1, col: 1 } });
      expect(error.hint).toContain('psr scan --format json');
    }
  });

  it('reads a report of an older 1.x format (1.0.0, before dataSources[].newestModified) as a baseline', () => {
    const old = JSON.parse(renderJson(sampleReport())) as { schemaVersion: string; dataSources?: unknown };
    old.schemaVersion = '1.0.0';
    delete old.dataSources;
    expect(parseReport(JSON.stringify(old), 'old.json').findings.map((f) => f.fingerprint)).toEqual(sampleReport().findings.map((f) => f.fingerprint));
  });
});

describe('readReport', () => {
  it('reads a report file and reports missing files and directories by code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psr-read-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'base.json'), renderJson(sampleReport()));
    expect((await readReport(join(dir, 'base.json'))).summary.suppressed).toBe(2);
    await expect(readReport(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'PSR_REPORT_READ', message: expect.stringContaining('no such file') });
    await expect(readReport(dir)).rejects.toMatchObject({ code: 'PSR_REPORT_READ', message: expect.stringContaining('is a directory') });
  });

  it('reads text beyond ASCII as written, with or without a byte order mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psr-read-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const report = sampleReport();
    // Curly quotes, a no-break space, an emoji (a surrogate pair), a backslash, and an escape JSON already had.
    report.findings[0]!.title = 'Jinja2 “sandbox”\u00a0escape 🚀 \\ é \\u00e9';
    const text = renderJson(report);
    await writeFile(join(dir, 'base.json'), text);
    await writeFile(join(dir, 'bom.json'), `\ufeff${text}`);
    expect(await readReport(join(dir, 'base.json'))).toEqual(JSON.parse(text));
    expect((await readReport(join(dir, 'bom.json'))).findings[0]!.title).toBe(report.findings[0]!.title);
    // Text of every kind, across the 128-byte and 4 KB blocks the reader looks through.
    const alphabet = ['a', 'b', ' ', '\\', '"', '\n', 'é', '’', '\u00a0', '🚀', '脆', '\u0080', '\u07ff'];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (const f of report.findings) f.description = Array.from({ length: 600 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const mixed = renderJson(report);
    await writeFile(join(dir, 'mixed.json'), mixed);
    expect(await readReport(join(dir, 'mixed.json'))).toEqual(JSON.parse(mixed));
    // More text beyond ASCII than its escapes have room for in the read buffer (a report in Japanese).
    report.findings[1]!.description = '脆弱性の説明。'.repeat(20_000);
    const wide = renderJson(report);
    await writeFile(join(dir, 'wide.json'), wide);
    expect(await readReport(join(dir, 'wide.json'))).toEqual(JSON.parse(wide));
  });

  it('says what is wrong with a report as parseReport does, at the line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psr-read-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const text = renderJson(sampleReport());
    const cases = {
      // A backslash before a character beyond ASCII is no JSON escape, however the character is read.
      'escape.json': text.replace('"Jinja2 sandbox escape', '"Jinja2 \\é sandbox escape'),
      'truncated.json': text.slice(0, 400),
      'severity.json': text.replace('"severity": "medium"', '"severity": "severe"'),
      'v2.json': text.replace('"schemaVersion": "1.2.0"', '"schemaVersion": "2.0.0"'),
    };
    for (const [name, content] of Object.entries(cases)) {
      expect(content, name).not.toBe(text);
      await writeFile(join(dir, name), content);
      const expected = thrown(() => parseReport(content, join(dir, name)));
      await expect(readReport(join(dir, name)), name).rejects.toMatchObject({ code: 'PSR_REPORT_INVALID', message: expected.message, location: expected.location });
    }
    const escape = thrown(() => parseReport(cases['escape.json'], 'escape.json'));
    expect(escape.message).toBe('escape.json is not valid JSON: invalid escape character');
    expect(escape.location).toMatchObject({ line: expect.any(Number), col: expect.any(Number) });
  });

  it('reads any bytes as JSON.parse reads their UTF-8 text, or fails as parseReport does (differential, invalid UTF-8 too)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psr-read-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const text = renderJson(sampleReport());
    const [before, after] = text.split('Jinja2 sandbox escape') as [string, string];
    // Bytes that UTF-8 decoding or the in-place escapes could get wrong: invalid and overlong
    // sequences, surrogates written as bytes (CESU-8), a NUL, a BOM, backslashes and quotes.
    const pieces = [
      [0x5c], [0x5c, 0x5c], [0x22], [0x5c, 0x75], [0x30], [0x00], [0x0a], [0x7f], [0xef, 0xbb, 0xbf], [0xc0, 0xaf], [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0xbd], [0xed, 0xb8, 0x80], [0xf0, 0x9f, 0x9a, 0x80], [0xf0, 0x9f], [0xc3], [0xa9], [0xe2, 0x80, 0x99], [0xff], [0xf4, 0x90, 0x80, 0x80],
    ];
    let seed = 11;
    const random = (n: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
    let valid = 0;
    for (let trial = 0; trial < 120; trial++) {
      const middle = Buffer.from(Array.from({ length: 1 + random(6) }, () => pieces[random(pieces.length)]!).flat());
      // Mostly inside a string; sometimes in a key, or where no string is.
      const at = random(4);
      const bytes =
        at === 0 ? Buffer.concat([Buffer.from('{"'), middle, Buffer.from(`": 1,${text.slice(1)}`)]) :
        at === 1 ? Buffer.concat([Buffer.from(text.replace('"summary"', '')), middle]) :
        Buffer.concat([Buffer.from(`${before}Jinja2 `), middle, Buffer.from(` escape${after}`)]);
      const file = join(dir, `fuzz-${trial}.json`);
      await writeFile(file, bytes);
      const utf8 = bytes.toString('utf8');
      let expected: unknown;
      try {
        expected = parseReport(utf8, file);
      } catch (error) {
        await expect(readReport(file), `trial ${trial}`).rejects.toMatchObject({ code: (error as { code: string }).code, message: (error as Error).message });
        continue;
      }
      expect(await readReport(file), `trial ${trial}`).toEqual(expected);
      valid++;
    }
    // Not a vacuous agreement: many of them are valid reports.
    expect(valid).toBeGreaterThan(30);
  }, 30_000);

  it('refuses a report whose properties are nested too deeply, with a typed error rather than a stack overflow', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psr-read-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const text = renderJson(sampleReport()).replace('"findings": [\n    {', `"findings": [\n    {"properties": {"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}},`);
    await writeFile(join(dir, 'deep.json'), text);
    await expect(readReport(join(dir, 'deep.json'))).rejects.toMatchObject({ code: 'PSR_REPORT_INVALID', message: expect.stringContaining('nested too deeply') });
  });
});
