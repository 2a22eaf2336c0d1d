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
  it('reads a file that changes encoding between commits: UTF-16 saved again as UTF-8 adds only its new lines, and back', async () => {
    const converted = tempRepo('psr-secret-utf16-utf8-');
    try {
      const kept = 'sk_live_' + fake(ALNUM, 30, 'enc-1');
      const added = 'sk_live_' + fake(ALNUM, 30, 'enc-2');
      const utf16 = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      converted.git('init', '-q', '-b', 'main');
      // UTF-8 with a character beyond ASCII on the key's line, then UTF-16, then UTF-8 again (with a BOM).
      converted.write('deploy.ps1', `# deploy\r\n$stripe = "${kept}" # clé\r\n`);
      converted.git('add', '-A');
      converted.git('commit', '-q', '-m', 'utf-8');
      converted.write('deploy.ps1', utf16(`# deploy\r\n$stripe = "${kept}" # clé\r\n`));
      converted.git('commit', '-q', '-am', 'saved as UTF-16');
      converted.write('deploy.ps1', `\ufeff# deploy\r\n$stripe = "${kept}" # clé\r\n$stripe2 = "${added}"\r\n`);
      converted.git('commit', '-q', '-am', 'saved as UTF-8 with a new key');
      const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      await scanHistory(converted.root, new TextScanner(builtinRules), sink, {}, { skipPath: () => false });
      const at = (ref: string) => converted.git('rev-parse', ref).trim().slice(0, 7);
      expect(sink.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line} ${f.locations[0]?.commit?.slice(0, 7)}`).sort()).toEqual(
        [`deploy.ps1:2 ${at('HEAD~2')}`, `deploy.ps1:3 ${at('HEAD')}`].sort(),
      );
    } finally {
      converted.dispose();
    }
  });

  it('reads text files .gitattributes marks binary or -diff (git shows no lines for them), and a binary file replaced by text', async () => {
    const marked = tempRepo('psr-secret-nodiff-');
    try {
      const kept = 'sk_live_' + fake(ALNUM, 30, 'nodiff-1');
      const added = 'sk_live_' + fake(ALNUM, 30, 'nodiff-2');
      const replaced = 'sk_live_' + fake(ALNUM, 30, 'nodiff-3');
      marked.git('init', '-q', '-b', 'main');
      marked.write('.gitattributes', '*.env -diff\nsecrets.vault binary\n');
      marked.write('prod.env', `A=1\nSTRIPE=${kept}\n`);
      marked.write('secrets.vault', Buffer.from([0x00, 0x01, 0x02]));
      marked.git('add', '-A');
      marked.git('commit', '-q', '-m', 'init');
      marked.write('prod.env', `A=1\nSTRIPE=${kept}\nSTRIPE2=${added}\n`);
      marked.write('secrets.vault', `STRIPE=${replaced}\n`);
      marked.git('commit', '-q', '-am', 'more');
      const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      await scanHistory(marked.root, new TextScanner(builtinRules), sink, {}, { skipPath: () => false });
      const at = (ref: string) => marked.git('rev-parse', ref).trim().slice(0, 7);
      expect(sink.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line} ${f.locations[0]?.commit?.slice(0, 7)}`).sort()).toEqual(
        [`prod.env:2 ${at('HEAD~1')}`, `prod.env:3 ${at('HEAD')}`, `secrets.vault:1 ${at('HEAD')}`].sort(),
      );
    } finally {
      marked.dispose();
    }
  });

  it('does not read binary files that are not UTF-16 (of any size) beyond their first bytes, nor count them as oversized', async () => {
    const binary = tempRepo('psr-secret-binary-');
    try {
      binary.git('init', '-q', '-b', 'main');
      // A model file (no known binary extension) of 3 MB, changed twice.
      for (const fill of [1, 2]) {
        const weights = Buffer.alloc(3 * 1024 * 1024); // NUL bytes: git calls it binary
        weights[0] = fill;
        binary.write('weights.onnx', weights);
        binary.git('add', '-A');
        binary.git('commit', '-q', '-m', `weights ${fill}`);
      }
      const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      const stats = await scanHistory(binary.root, new TextScanner(builtinRules), sink, {}, { skipPath: () => false, maxFileSize: 1024 * 1024 });
      expect(stats.oversized).toBe(0);
      expect(sink.findings).toEqual([]);
    } finally {
      binary.dispose();
    }
  });

  it("reads UTF-16 files, which git diffs as binary: each commit's added lines, numbered as in the file", async () => {
    const windows = tempRepo('psr-secret-utf16-');
    try {
      const first = 'sk_live_' + fake(ALNUM, 30, 'u16-1');
      const second = 'sk_live_' + fake(ALNUM, 30, 'u16-2');
      const inMerge = 'sk_live_' + fake(ALNUM, 30, 'u16-3');
      const utf16 = (text: string, order: 'le' | 'be' = 'le'): Buffer => {
        const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
        return order === 'le' ? le : le.swap16();
      };
      windows.git('init', '-q', '-b', 'main');
      windows.write('setup.ps1', utf16(`# setup\r\n$stripe = "${first}"\r\n`));
      windows.write('logo.png', utf16(`$stripe = "${first}"\r\n`)); // a binary format by its name: not read
      windows.git('add', '-A');
      windows.git('commit', '-q', '-m', 'add setup');
      windows.write('setup.ps1', utf16(`# setup\r\n$region = "eu"\r\n$stripe = "${first}"\r\n$stripe2 = "${second}"\r\n`, 'be'));
      windows.git('commit', '-q', '-am', 'second key');
      // A merge whose resolution adds a key neither parent had.
      windows.git('checkout', '-q', '-b', 'topic');
      windows.write('setup.ps1', utf16(`# topic\r\n`));
      windows.git('commit', '-q', '-am', 'topic');
      windows.git('checkout', '-q', 'main');
      windows.write('setup.ps1', utf16(`# main\r\n`));
      windows.git('commit', '-q', '-am', 'main');
      try {
        windows.git('merge', '-q', 'topic');
      } catch {
        // conflict, resolved below
      }
      windows.write('setup.ps1', utf16(`# merged\r\n$stripe3 = "${inMerge}"\r\n`));
      windows.git('commit', '-q', '-am', 'merge');
      const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      await scanHistory(windows.root, new TextScanner(builtinRules), sink, {}, { skipPath: () => false });
      const at = (ref: string) => windows.git('rev-parse', ref).trim().slice(0, 7);
      expect(sink.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line} ${f.locations[0]?.commit?.slice(0, 7)}`).sort()).toEqual(
        [`setup.ps1:2 ${at('HEAD~3')}`, `setup.ps1:4 ${at('HEAD~2')}`, `setup.ps1:2 ${at('HEAD')}`].sort(),
      );
    } finally {
      windows.dispose();
    }
  });
});
