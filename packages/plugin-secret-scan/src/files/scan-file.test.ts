import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TextScanner } from '../detect/scan-text.js';
import { ALNUM, checksummedToken, fake, fakePrivateKey } from '../rules/samples.js';
import { builtinRules } from '../rules/table.js';
import { tempRepo } from '../testing/temp-repo.js';
import { scanFile } from './scan-file.js';
import { walkFiles } from './walk-files.js';

const scanner = new TextScanner(builtinRules);
const repo = tempRepo('psr-secret-file-');
afterAll(() => repo.dispose());
const MB = 1024 * 1024;

describe('scanFile', () => {
  it('takes an ellipsis typed in UTF-8 for a stand-in (files are read as bytes) and a backtick for the end of a value', async () => {
    repo.write(
      'notes.md',
      ['Shortened in the docs: `API_TOKEN=Zk81mQpL4vX2nR7sYt…`, `password: Wq7#kLm2Zp…`.', 'Now read: `mysql -p…`/`sshpass -p`, kubeconfig `client-key-data:`.', ''].join('\n'),
    );
    const result = await scanFile(path.join(repo.root, 'notes.md'), scanner, { maxFileSize: MB });
    expect(result.detections.map((d) => `${d.rule.id}:${d.line}`)).toEqual([]);
  });

  it('streams a large file: line numbers hold across chunks and a key cut by a chunk boundary is found once', async () => {
    const key = await fakePrivateKey('ec');
    const filler = `${'const value = compute(a, b); // filler line'.padEnd(63, ' ')}\n`; // 64 bytes
    const before = Math.floor((4 * MB - 200) / 64); // the key starts ~200 bytes before the 4 MB boundary
    const token = checksummedToken('ghp_', 'chunk');
    const text = filler.repeat(before) + key + filler.repeat(70_000) + `GITHUB_TOKEN=${token}\n`;
    repo.write('big.txt', text);
    const result = await scanFile(path.join(repo.root, 'big.txt'), scanner, { maxFileSize: 100 * MB });
    expect(result.detections.map((d) => [d.rule.id, d.line, d.column])).toEqual([
      ['private-key-ec', before + 1, 1],
      ['github-pat', before + key.split('\n').length - 1 + 70_000 + 1, 14],
    ]);
  });

  it('skips binary and oversized files, and reports UTF-16 columns after non-ASCII text', async () => {
    repo.write('img.bin', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`token=${checksummedToken('ghp_', 'bin')}`)]));
    expect((await scanFile(path.join(repo.root, 'img.bin'), scanner, { maxFileSize: MB })).skipped).toBe('binary');
    repo.write('big.env', 'x'.repeat(2048));
    expect((await scanFile(path.join(repo.root, 'big.env'), scanner, { maxFileSize: 1024 })).skipped).toBe('oversized');
    repo.write('utf8.py', `# café ☕\nclé = "x" ; API_KEY = "sk_live_${fake(ALNUM, 30, 'utf')}"\n`);
    const r = await scanFile(path.join(repo.root, 'utf8.py'), scanner, { maxFileSize: MB });
    expect(r.detections.map((d) => [d.rule.id, d.line, d.column])).toEqual([['stripe-secret-key', 2, 24]]);
    expect(r.detections[0]!.secret.startsWith('sk_live_')).toBe(true);
  });
});

describe('scanFile on UTF-16', () => {
  it('decodes UTF-16 LE and BE files with a byte-order mark and scans them, columns in characters', async () => {
    const token = checksummedToken('ghp_', 'utf16');
    const text = `\ufeff# déploiement\r\n$token = "${token}"\r\n`;
    repo.write('le.ps1', Buffer.from(text, 'utf16le'));
    repo.write('be.reg', Buffer.from(text, 'utf16le').swap16());
    for (const name of ['le.ps1', 'be.reg']) {
      const r = await scanFile(path.join(repo.root, name), scanner, { maxFileSize: MB });
      expect(r.skipped, name).toBeUndefined();
      expect(r.detections.map((d) => [d.rule.id, d.line, d.column]), name).toEqual([['github-pat', 2, 11]]);
      expect(r.detections[0]!.secret).toBe(token);
    }
    // Without a byte-order mark, or with NULs after it, a file is still binary.
    repo.write('nobom.txt', Buffer.from(`$token = "${token}"`, 'utf16le'));
    expect((await scanFile(path.join(repo.root, 'nobom.txt'), scanner, { maxFileSize: MB })).skipped).toBe('binary');
    repo.write('fake.bin', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0, 1, 0])]));
    expect((await scanFile(path.join(repo.root, 'fake.bin'), scanner, { maxFileSize: MB })).skipped).toBe('binary');
  });
});

describe('walkFiles', () => {
  it('honors nested .gitignore files, never enters .git and never follows symlinks', async () => {
    const outside = tempRepo('psr-secret-outside-');
    try {
      outside.write('secret.env', 'x');
      repo.write('w/.gitignore', '*.log\n');
      repo.write('w/a/.gitignore', 'local/\n');
      repo.write('w/a/local/x.txt', 'x');
      repo.write('w/a/keep.txt', 'x');
      repo.write('w/a/debug.log', 'x');
      repo.write('w/.git/config', 'x');
      symlinkSync(outside.root, path.join(repo.root, 'w/link'));
      const skips = { symlinks: 0, gitignored: 0, allowlisted: 0 };
      const seen: string[] = [];
      for await (const f of walkFiles(path.join(repo.root, 'w'), { respectGitignore: true, skipPath: (p) => p === 'a/skip.txt' }, skips)) seen.push(f.relative);
      expect(seen).toEqual(['.gitignore', 'a/.gitignore', 'a/keep.txt']);
      expect(skips).toEqual({ symlinks: 1, gitignored: 2, allowlisted: 0 });
    } finally {
      outside.dispose();
    }
  });

  it('walks files git tracks even where .gitignore matches them (committed, then ignored), and nothing else ignored', async () => {
    const git = tempRepo('psr-secret-tracked-');
    try {
      git.git('init', '-q');
      git.write('.env', 'x');
      git.write('build/keep.txt', 'x');
      git.git('add', '.');
      git.git('commit', '-qm', 'leak');
      git.write('.gitignore', '.env\nbuild/\n*.log\n');
      git.write('build/new.txt', 'x');
      git.write('debug.log', 'x');
      const skips = { symlinks: 0, gitignored: 0, allowlisted: 0 };
      const seen: string[] = [];
      for await (const f of walkFiles(git.root, { respectGitignore: true, skipPath: () => false }, skips)) seen.push(f.relative);
      expect(seen).toEqual(['.env', '.gitignore', 'build/keep.txt']);
      expect(skips.gitignored).toBe(2); // build/new.txt, debug.log
      // outside git (the same tree without .git) nothing changes
      git.git('init', '-q', path.join(git.root, 'sub'));
      git.write('sub/.gitignore', '.env\n');
      git.write('sub/.env', 'x');
      const inSub: string[] = [];
      for await (const f of walkFiles(path.join(git.root, 'sub'), { respectGitignore: true, skipPath: () => false }, { symlinks: 0, gitignored: 0, allowlisted: 0 })) inSub.push(f.relative);
      expect(inSub).toEqual(['.gitignore']);
    } finally {
      git.dispose();
    }
  });
});
