// An npm project scanned against real GitHub advisories whose shapes once gave wrong answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from './run-scan.js';

const PROJECT = fileURLToPath(new URL('../fixtures/npm-project', import.meta.url));
const ADVISORIES = fileURLToPath(new URL('../fixtures/npm-advisories', import.meta.url));
const cacheDir = mkdtempSync(join(tmpdir(), 'psr-npm-scan-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('runScan on an npm lockfile', () => {
  it('reads advisory bounds as osv.dev does: "1.0" opens at 1.0.0, "7.2.4, 6.11.4" closes at 7.2.4', async () => {
    const r = await runScan({ path: '.', cwd: PROJECT, sources: [ADVISORIES], failOn: 'none', formats: [], outputs: [], cacheDir });
    const got = r.report.findings.map((f) => [`${f.package!.name}@${f.package!.version}`, f.id, f.package!.fixedVersions ?? []]);
    expect(got.sort()).toEqual([
      // express 5.0.0-beta.1 is inside the advisory's pre-release interval [5.0.0-alpha.1, 5.0.0-beta.3).
      ['express@5.0.0-beta.1', 'GHSA-rv95-896h-c2vc', ['5.0.0-beta.3']],
      // node-fetch 3.1.0 is inside [1.0, 3.1.1): it was reported clean while "1.0" opened nothing.
      ['node-fetch@3.1.0', 'GHSA-r683-j2x4-v87g', ['3.1.1']],
      // last_affected 2.88.2 includes 2.88.2; no fixed version exists.
      ['request@2.88.2', 'GHSA-p8p7-x288-28g6', []],
    ]);
    // protobufjs 7.2.6 is past the fix; it was reported while "7.2.4, 6.11.4" was read as no bound.
    expect(r.report.findings.some((f) => f.package!.name === 'protobufjs')).toBe(false);
  });
});
