import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Log, Result } from 'sarif';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  PLANTED_SECRET,
  comparedReport,
  jinjaVuln,
  lodashVuln,
  sampleReport,
  secretInHistory,
  suppressedByIgnoreFile,
  suppressedInline,
  unknownSeverityVuln,
} from '../../fixtures/sample-report.js';
import { createReport } from '../report.js';
import { pieceText } from './json.js';
import { SARIF_FINGERPRINT_KEY, renderSarif, renderSarifPieces, toSarifLog } from './sarif.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * The official SARIF 2.1.0 JSON Schema, from an npm devDependency so tests need no network
 * and no copied file. Candidates checked: `@microsoft/jest-sarif` ships only the pre-release
 * `2.1.0-rtm.5` schema; `@datadog/datadog-ci-plugin-sarif` embeds the OASIS schema inside a
 * JS bundle (not addressable as a file); `@microsoft/sarif-multitool` (Microsoft's SARIF SDK
 * validator) installs a per-platform package that ships `sarif-2.1.0.json` — the SDK's copy
 * of the OASIS schema (draft 2020-12 dialect, same definitions plus the errata fixes) — as a
 * plain file. We resolve that file through the wrapper, so it works on linux, darwin and
 * win32, and validate with Ajv's 2020-12 validator plus ajv-formats. The same package's
 * self-contained `Sarif.Multitool validate` (schema plus Microsoft's SARIF rules) runs on the
 * output too, below (its postinstall `chmod` is allowed in pnpm-workspace.yaml). Ajv stays the
 * primary check: in our probes the multitool did not flag an invalid `level` on its own.
 */
function officialSarifSchema(): Record<string, unknown> {
  const wrapper = createRequire(import.meta.url).resolve('@microsoft/sarif-multitool/package.json');
  const platformPackage = `@microsoft/sarif-multitool-${process.platform}/sarif-2.1.0.json`;
  const schemaPath = createRequire(wrapper).resolve(platformPackage);
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
}

const validateSarif = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(officialSarifSchema());
})();

function expectValidSarif(log: unknown): void {
  const ok = validateSarif(log);
  expect(ok, JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
}

function resultFor(log: Log, id: string): Result {
  const result = log.runs[0]?.results?.find((r) => r.ruleId === id);
  if (result === undefined) throw new Error(`no result for ${id}`);
  return result;
}

describe('renderSarif', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    expectValidSarif(JSON.parse(renderSarif(sampleReport())));
  });

  it('validates for an empty, partial report with warnings and errors', () => {
    const report = createReport({
      tool: { name: 'psr', version: '0.1.0', plugin: 'psr:scan', informationUri: 'https://example.com/psr/docs' },
      run: { startedAt: '2024-06-01T12:00:00.000Z', durationMs: 3, target: 'svc' },
      findings: [],
      errors: [{ code: 'PSR_SCAN_SOURCE', message: 'osv.dev unreachable', hint: 'use --sources <dir>' }],
      warnings: [{ code: 'PSR_SCAN_BINARY', message: 'skipped binary file', location: { file: 'a b/logo.png', line: 1, col: 1 } }],
    });
    const log = toSarifLog(report);
    expectValidSarif(JSON.parse(JSON.stringify(log)));
    const invocation = log.runs[0]?.invocations?.[0];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications?.map((n) => n.level)).toEqual(['error', 'warning']);
    expect(log.runs[0]?.tool.driver.informationUri).toBe('https://example.com/psr/docs');
    expect(invocation?.endTimeUtc).toBe('2024-06-01T12:00:00.003Z');
  });

  it('renders in pieces (what writeReports writes) exactly the text of renderSarif', () => {
    // Enough findings for several batches of rules and results, with a multi-line, spaced title.
    const many = Array.from({ length: 61 }, (_, i) => ({
      ...(i % 2 === 0 ? jinjaVuln : lodashVuln),
      id: `PYSEC-2024-${i}`,
      title: i === 7 ? '  jinja2 2.10:\n  sandbox   escape ' : `finding ${i}`,
      fingerprint: `${i}`.padStart(64, '0'),
    }));
    const reports = [
      sampleReport(),
      sampleReport(many),
      sampleReport([]),
      sampleReport([suppressedByIgnoreFile, suppressedInline, secretInHistory, unknownSeverityVuln]),
    ];
    for (const report of reports) expect([...renderSarifPieces(report)].map(pieceText).join('')).toBe(renderSarif(report));
    expect(resultFor(toSarifLog(sampleReport(many)), 'PYSEC-2024-7').message.text).toContain('jinja2 2.10: sandbox escape.');
  });

  it('describes a rule without the package version a title starts with, and says each thing once', () => {
    const titled = { ...jinjaVuln, title: 'jinja2 2.10: Sandbox escape via str.format_map in Jinja2 before 2.10.1 and a long text...' };
    const log = toSarifLog(sampleReport([titled]));
    const rule = log.runs[0]!.tool.driver.rules!.find((r) => r.id === jinjaVuln.id)!;
    expect(rule.shortDescription!.text).toBe('Sandbox escape via str.format_map in Jinja2 before 2.10.1 and a long text...');
    expect(rule.name).toMatch(/^SandboxEscapeViaStrFormat/);
    expect(rule.help!.markdown).toMatch(/^\*\*GHSA-462w-v97r-4m45\*\* \(CVE-2019-10906, PYSEC-2019-217\): Sandbox escape/);
    // A scan's finding: its title is the package, then its description. The help says the description once.
    const summary = 'Sandbox escape via str.format_map in Jinja2 before 2.10.1';
    const scanLike = toSarifLog(sampleReport([{ ...jinjaVuln, title: `jinja2 2.10: ${summary}`, description: summary }])).runs[0]!.tool.driver.rules![0]!;
    expect(scanLike.help!.markdown!.split(summary)).toHaveLength(2);
    expect(scanLike.help!.markdown).toMatch(/^\*\*GHSA-462w-v97r-4m45\*\* \(CVE-2019-10906, PYSEC-2019-217\): Sandbox escape .*2\.10\.1\n\n\*\*Fix:\*\*/);
    expect(resultFor(log, jinjaVuln.id).message.text).toMatch(
      /^jinja2 2\.10 \(PyPI\) is affected by GHSA-462w-v97r-4m45, CVE-2019-10906, PYSEC-2019-217: Sandbox escape .* a long text\.\.\. Fixed in 2\.10\.1\./,
    );
  });

  it('the schema check catches a broken log (so the validation test can fail)', () => {
    const log = JSON.parse(renderSarif(sampleReport())) as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validateSarif(log)).toBe(false);
  });

  it('declares one rule per finding id with GitHub code-scanning properties', () => {
    const log = toSarifLog(sampleReport());
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules ?? [];
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(7);
    const jinja = rules.find((r) => r.id === jinjaVuln.id)!;
    expect(jinja.properties?.['security-severity']).toBe('8.6');
    expect(jinja.name).toBe('Jinja2SandboxEscapeViaStringFormatting');
    expect(jinja.properties?.tags).toEqual(['security', 'vulnerability', 'PyPI']);
    expect(jinja.defaultConfiguration?.level).toBe('error');
    expect(jinja.helpUri).toBe('https://github.com/advisories/GHSA-462w-v97r-4m45');
    expect(jinja.help?.markdown).toContain('CVE-2019-10906');
    expect(jinja.fullDescription?.text).not.toContain('\n');
    // Severity from a source other than the CVSS score: a representative score of that rating.
    const secret = rules.find((r) => r.id === secretInHistory.id)!;
    expect(secret.properties?.['security-severity']).toBe('9.5');
    expect(secret.properties?.precision).toBe('high');
    // Unknown severity carries no security-severity rather than a made-up one.
    const unknown = rules.find((r) => r.id === unknownSeverityVuln.id)!;
    expect(unknown.properties?.['security-severity']).toBeUndefined();
    expect(unknown.defaultConfiguration?.level).toBe('warning');
    expect(run.automationDetails?.id).toBe('psr-scan/');
  });

  it('maps findings to results that point at file and line', () => {
    const log = toSarifLog(sampleReport());
    const rules = log.runs[0]!.tool.driver.rules!;
    for (const result of log.runs[0]!.results!) {
      expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
    }
    const lodash = resultFor(log, lodashVuln.id);
    expect(lodash.level).toBe('error');
    expect(lodash.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('web/package-lock.json');
    expect(lodash.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 2113, startColumn: 5 });
    expect(lodash.message.text).toBe(
      'lodash 4.17.15 (npm) is affected by GHSA-p6mc-m468-83gw, CVE-2020-8203: Prototype Pollution in lodash. Fixed in 4.17.19. Upgrade to 4.17.21.',
    );
    expect(lodash.partialFingerprints?.[SARIF_FINGERPRINT_KEY]).toBe(lodashVuln.fingerprint);
    expect(resultFor(log, unknownSeverityVuln.id).level).toBe('warning');
    expect(resultFor(log, 'GHSA-h5c8-rqwp-cp95').level).toBe('warning');
  });

  it('marks suppressed findings with SARIF suppressions instead of dropping them', () => {
    const log = toSarifLog(sampleReport());
    const external = resultFor(log, suppressedByIgnoreFile.id).suppressions;
    expect(external).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'We never follow redirects with cookies',
        properties: { psrKind: 'ignore-file', owner: 'security@example.com', expires: '2099-01-01' },
      },
    ]);
    expect(resultFor(log, suppressedInline.id).suppressions?.[0]?.kind).toBe('inSource');
    expect(resultFor(log, jinjaVuln.id).suppressions).toBeUndefined();
  });

  it('reports git history findings with their commit, redacted', () => {
    const text = renderSarif(sampleReport());
    const secret = resultFor(JSON.parse(text) as Log, secretInHistory.id);
    expect(secret.message.text).toBe(
      'GitHub personal access token (classic) (ghp_…(40)). Added in commit 9fceb02d0ae5 by Ada Lovelace <ada@example.com> on 2024-05-01T10:00:00Z.',
    );
    expect(secret.properties?.commit).toBe('9fceb02d0ae598e95dc970b74767f19372d61af8');
    expect(secret.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 3, startColumn: 14, endColumn: 54 });
    expect(text).not.toContain(PLANTED_SECRET);
  });

  it('percent-encodes paths into relative URIs, one result per location, each with its own fingerprint', () => {
    const report = createReport({
      tool: { name: 'psr', version: '0.1.0', plugin: 'psr:scan' },
      run: { startedAt: '2024-06-01T12:00:00.000Z', durationMs: 1, target: '.' },
      findings: [
        {
          ...jinjaVuln,
          locations: [
            { file: 'my app/req#1.txt', line: 2 },
            { file: 'docs/ünï.txt' },
            { file: '/etc/psr/ignore file.yml', line: 3 },
          ],
        },
      ],
    });
    const log = toSarifLog(report);
    expectValidSarif(JSON.parse(JSON.stringify(log)));
    const results = log.runs[0]!.results!;
    // Code scanning shows a result at its first location only: each file gets its own result.
    expect(results.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation)).toEqual([
      { uri: 'my%20app/req%231.txt', uriBaseId: '%SRCROOT%' },
      { uri: 'docs/%C3%BCn%C3%AF.txt', uriBaseId: '%SRCROOT%' },
      // A file outside the repository: an absolute file URI, not one relative to %SRCROOT%.
      { uri: 'file:///etc/psr/ignore%20file.yml' },
    ]);
    expect(results[1]!.locations?.[0]?.physicalLocation?.region).toBeUndefined();
    const fingerprints = results.map((r) => r.partialFingerprints?.['psrFingerprint/v1']);
    expect(fingerprints[0]).toBe(jinjaVuln.fingerprint);
    expect(new Set(fingerprints).size).toBe(3);
  });

  it('stays valid for findings without a location and for a non-URI informationUri', () => {
    const report = createReport({
      tool: { name: 'psr', version: '0.1.0', plugin: 'psr:cost-tag', informationUri: 'not a uri' },
      run: { startedAt: 'not a date', durationMs: 1, target: '.' },
      findings: [{ id: 'budget-exceeded', kind: 'policy', title: 'Monthly budget exceeded', severity: 'medium', locations: [], fingerprint: 'b1' }],
    });
    const log = toSarifLog(report);
    expectValidSarif(JSON.parse(JSON.stringify(log)));
    expect(log.runs[0]!.results![0]!.locations).toBeUndefined();
    expect(log.runs[0]!.tool.driver.informationUri).toBeUndefined();
    expect(log.runs[0]!.invocations![0]!.startTimeUtc).toBeUndefined();
  });
});

/** Run Microsoft's validator on a log; returns its error- and warning-level findings. */
async function multitoolProblems(log: unknown): Promise<string[]> {
  const binary = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  const dir = await mkdtemp(join(tmpdir(), 'psr-sarif-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'psr.sarif'), JSON.stringify(log));
  await new Promise<void>((resolve, reject) => {
    execFile(
      binary,
      ['validate', join(dir, 'psr.sarif'), '--output', join(dir, 'validation.sarif'), '--log', 'ForceOverwrite', '--level', 'Error;Warning'],
      // Invariant globalization: the .NET binary then needs no ICU library on the machine.
      { timeout: 120_000, env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
      (error, _stdout, stderr) => (error ? reject(new Error(`Sarif.Multitool failed: ${error.message}\n${stderr}`)) : resolve()),
    );
  });
  const validation = JSON.parse(await readFile(join(dir, 'validation.sarif'), 'utf8')) as Log;
  return (validation.runs[0]?.results ?? [])
    .filter((r) => r.level === undefined || r.level === 'error' || r.level === 'warning')
    .map((r) => `${r.ruleId}: ${JSON.stringify(r.message.arguments ?? r.message.text)}`);
}

describe('SARIF of a report compared with a baseline', () => {
  it('gives every result its baselineState, valid against the official schema', () => {
    const log = toSarifLog(comparedReport());
    expectValidSarif(log);
    const states = Object.fromEntries(log.runs[0]!.results!.map((r) => [r.ruleId, r.baselineState]));
    expect(states).toEqual({
      'GHSA-462w-v97r-4m45': 'unchanged',
      'GHSA-h5c8-rqwp-cp95': 'new',
      'PYSEC-2021-59': 'unchanged',
      'github-pat-classic': 'new',
      'GHSA-v845-jxx5-vc9f': 'new',
    });
  });

  it('writes no absent results for resolved findings (GitHub would show them as open alerts), only their count', () => {
    const log = toSarifLog(comparedReport());
    expect(log.runs[0]!.results!.map((r) => r.ruleId)).not.toContain('GHSA-p6mc-m468-83gw');
    expect(log.runs[0]!.results!.some((r) => r.baselineState === 'absent')).toBe(false);
    expect((log.runs[0]!.properties!['psr'] as Record<string, unknown>)['baseline']).toEqual({ report: 'main-scan.json', new: 2, unchanged: 2, resolved: 1 });
  });

  it('writes no baselineState without a baseline', () => {
    expect(toSarifLog(sampleReport()).runs[0]!.results!.every((r) => r.baselineState === undefined)).toBe(true);
  });
});

describe('SARIF of a scan that left dependency groups out', () => {
  it('says what was not scanned, as the JSON report does, and stays valid', () => {
    const report = sampleReport();
    report.run.omitted = { groups: ['dev'], dependencies: 212 };
    const log = toSarifLog(report);
    expectValidSarif(JSON.parse(JSON.stringify(log)));
    expect((log.runs[0]!.properties!['psr'] as Record<string, unknown>)['omitted']).toEqual({ groups: ['dev'], dependencies: 212 });
    expect((toSarifLog(sampleReport()).runs[0]!.properties!['psr'] as Record<string, unknown>)['omitted']).toBeUndefined();
  });
});

describe('Sarif.Multitool validate', () => {
  it('finds no errors or warnings in psr output', async () => {
    const report = sampleReport();
    report.tool.informationUri = 'https://example.com/psr/docs';
    expect(await multitoolProblems(toSarifLog(report))).toEqual([]);
    const compared = comparedReport();
    compared.tool.informationUri = 'https://example.com/psr/docs';
    expect(await multitoolProblems(toSarifLog(compared))).toEqual([]);
  }, 180_000);

  it('reports a broken log (so the check above can fail)', async () => {
    const log = JSON.parse(renderSarif(sampleReport())) as { runs: Record<string, unknown>[] };
    log.runs[0]!.findings = [];
    const problems = await multitoolProblems(log);
    expect(problems.some((p) => p.startsWith('JSON1005') && p.includes('findings')), problems.join('\n')).toBe(true);
  }, 180_000);
});
