import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Allowlist } from '../config/config.js';
import { DetectionSink } from '../detect/detection-sink.js';
import { TextScanner } from '../detect/scan-text.js';
import { ALNUM, fake } from '../rules/samples.js';
import { builtinRules } from '../rules/table.js';
import { tempRepo } from '../testing/temp-repo.js';
import { scanHistory } from './scan-history.js';

const repo = tempRepo('psr-secret-history-');
const first = 'sk_live_' + fake(ALNUM, 30, 'h1');
const second = 'sk_live_' + fake(ALNUM, 30, 'h2');
let base = '';
beforeAll(() => {
  repo.git('init', '-q', '-b', 'main');
  repo.write('README.md', 'hello\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'init');
  base = repo.git('rev-parse', 'HEAD').trim();
  repo.write('conf/café config.env', `A=1\nSTRIPE=${first}\n`);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'add key');
  repo.write('conf/café config.env', `A=1\nB=2\nSTRIPE=${second}\n`);
  repo.write('+++ odd.txt', `+++ b/${second}\n`);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'rotate');
});
afterAll(() => repo.dispose());

async function scan(range: { from?: string; to?: string; since?: string }) {
  const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
  const stats = await scanHistory(repo.root, new TextScanner(builtinRules), sink, range, { skipPath: () => false });
  return { stats, found: sink.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line} ${f.locations[0]?.commit?.slice(0, 7)}`) };
}

describe('scanHistory', () => {
  it('attributes each added secret to its commit, with unusual file names', async () => {
    const head = repo.git('rev-parse', 'HEAD').trim().slice(0, 7);
    const prev = repo.git('rev-parse', 'HEAD~1').trim().slice(0, 7);
    const { stats, found } = await scan({});
    expect(stats.commitsScanned).toBe(3);
    expect(found.sort()).toEqual([`+++ odd.txt:1 ${head}`, `conf/café config.env:2 ${prev}`, `conf/café config.env:3 ${head}`].sort());
  });

  it('limits the scan to a range', async () => {
    const { stats, found } = await scan({ from: `${base}`, to: 'HEAD~1' });
    expect(stats.commitsScanned).toBe(1);
    expect(found).toHaveLength(1);
    expect((await scan({ since: '2090-01-01' })).stats.commitsScanned).toBe(0);
  });

  it('skips added blobs larger than maxFileSize', async () => {
    const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
    const stats = await scanHistory(repo.root, new TextScanner(builtinRules), sink, {}, { skipPath: () => false, maxFileSize: 20 });
    expect(stats.oversized).toBeGreaterThan(0);
    expect(sink.findings).toEqual([]);
  });

  it('finds a secret only a merge commit added (a resolved conflict), and not again what the merge took from a branch', async () => {
    const merged = tempRepo('psr-secret-merge-');
    try {
      const fromBranch = 'sk_live_' + fake(ALNUM, 30, 'm-branch');
      const inMerge = 'sk_live_' + fake(ALNUM, 30, 'm-merge');
      merged.git('init', '-q', '-b', 'main');
      merged.write('m.py', 'v = 0\n');
      merged.git('add', '-A');
      merged.git('commit', '-q', '-m', 'init');
      merged.git('checkout', '-q', '-b', 'topic');
      merged.write('m.py', `v = 1\nB = "${fromBranch}"\n`);
      merged.git('commit', '-q', '-am', 'topic');
      merged.git('checkout', '-q', 'main');
      merged.write('m.py', 'v = 2\n');
      merged.git('commit', '-q', '-am', 'main');
      try {
        merged.git('merge', '-q', 'topic');
      } catch {
        // conflict, resolved below with a line neither side had
      }
      merged.write('m.py', `v = 3\nB = "${fromBranch}"\nT = "${inMerge}"\n`);
      merged.git('commit', '-q', '-am', 'merge');
      const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      const stats = await scanHistory(merged.root, new TextScanner(builtinRules), sink, {}, { skipPath: () => false });
      expect(stats.commitsScanned).toBe(4);
      const at = (ref: string) => merged.git('rev-parse', ref).trim().slice(0, 7);
      expect(sink.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line} ${f.locations[0]?.commit?.slice(0, 7)}`).sort()).toEqual([`m.py:3 ${at('HEAD')}`, `m.py:2 ${at('topic')}`].sort());
    } finally {
      merged.dispose();
    }
  });
});
