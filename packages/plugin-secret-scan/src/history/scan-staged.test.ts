import { describe, expect, it } from 'vitest';
import { Allowlist } from '../config/config.js';
import { DetectionSink } from '../detect/detection-sink.js';
import { TextScanner } from '../detect/scan-text.js';
import { ALNUM, fake } from '../rules/samples.js';
import { builtinRules } from '../rules/table.js';
import { tempRepo } from '../testing/temp-repo.js';
import { scanStaged } from './scan-staged.js';

describe('scanStaged', () => {
  it('reads only what the next commit would add, numbered as in the staged file', async () => {
    const staged = tempRepo('psr-secret-staged-');
    try {
      const key = 'sk_live_' + fake(ALNUM, 30, 'staged-1');
      const unstaged = 'sk_live_' + fake(ALNUM, 30, 'staged-2');
      const committed = 'sk_live_' + fake(ALNUM, 30, 'staged-3');
      staged.git('init', '-q', '-b', 'main');
      // Before the first commit every staged line is new.
      staged.write('old.env', `A=1\nSTRIPE=${committed}\n`);
      staged.git('add', '-A');
      const first = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      await scanStaged(staged.root, new TextScanner(builtinRules), first, { skipPath: () => false });
      expect(first.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line}`)).toEqual(['old.env:2']);
      staged.git('commit', '-q', '-m', 'init');
      // Staged: a new line in the middle of a file. Not staged: another key. Committed: not read again.
      staged.write('old.env', `A=1\nB=2\nSTRIPE_NEW=${key}\nSTRIPE=${committed}\n`);
      staged.git('add', 'old.env');
      staged.write('later.env', `STRIPE=${unstaged}\n`);
      const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      await scanStaged(staged.root, new TextScanner(builtinRules), sink, { skipPath: () => false });
      expect(sink.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line} ${f.locations[0]?.commit ?? 'no commit'}`)).toEqual(['old.env:3 no commit']);
    } finally {
      staged.dispose();
    }
  });

  it('reads a staged UTF-16 file (git diffs it as binary), only the lines it adds over HEAD', async () => {
    const staged = tempRepo('psr-secret-staged-utf16-');
    try {
      const committed = 'sk_live_' + fake(ALNUM, 30, 'staged-u16-1');
      const key = 'sk_live_' + fake(ALNUM, 30, 'staged-u16-2');
      const utf16 = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      staged.git('init', '-q', '-b', 'main');
      staged.write('deploy.ps1', utf16(`$a = 1\r\n$stripe = "${committed}"\r\n`));
      staged.git('add', '-A');
      staged.git('commit', '-q', '-m', 'init');
      staged.write('deploy.ps1', utf16(`$a = 1\r\n$stripe = "${committed}"\r\n$b = 2\r\n$stripe2 = "${key}"\r\n`));
      staged.git('add', '-A');
      const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      await scanStaged(staged.root, new TextScanner(builtinRules), sink, { skipPath: () => false });
      expect(sink.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line} ${f.locations[0]?.commit ?? 'no commit'}`)).toEqual(['deploy.ps1:4 no commit']);
    } finally {
      staged.dispose();
    }
  });

  it('reads a staged UTF-16 file of odd length, and a UTF-16 file staged again as UTF-8 text', async () => {
    const staged = tempRepo('psr-secret-staged-utf8-');
    try {
      const committed = 'sk_live_' + fake(ALNUM, 30, 'staged-enc-1');
      const key = 'sk_live_' + fake(ALNUM, 30, 'staged-enc-2');
      const utf16 = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const found = async (): Promise<string[]> => {
        const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
        await scanStaged(staged.root, new TextScanner(builtinRules), sink, { skipPath: () => false });
        return sink.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line}`);
      };
      staged.git('init', '-q', '-b', 'main');
      // A stray last byte (a file cut short): the text before it is read.
      staged.write('deploy.ps1', Buffer.concat([utf16(`$a = 1\r\n$stripe = "${committed}"\r\n`), Buffer.from([0x41])]));
      staged.git('add', '-A');
      expect(await found()).toEqual(['deploy.ps1:2']);
      staged.git('commit', '-q', '-m', 'init');
      staged.write('deploy.ps1', `$a = 1\r\n$stripe = "${committed}"\r\n$stripe2 = "${key}"\r\n`);
      staged.git('add', '-A');
      expect(await found()).toEqual(['deploy.ps1:3']);
    } finally {
      staged.dispose();
    }
  });

  it('says when the folder is not a git repository', async () => {
    const plain = tempRepo('psr-secret-staged-plain-');
    try {
      const sink = new DetectionSink(new Allowlist({}), new Set(), 'salt');
      await expect(scanStaged(plain.root, new TextScanner(builtinRules), sink, { skipPath: () => false })).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_GIT', message: expect.stringContaining('not a git repository') });
    } finally {
      plain.dispose();
    }
  });
});
