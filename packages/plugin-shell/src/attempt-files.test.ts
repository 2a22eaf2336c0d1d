import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAttemptFiles, prepareScratchDir } from './attempt-files.js';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'psr-scratch-test-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const expected = (root: string) => join(root, `psr-shell-${process.getuid!()}`);

describe('the scratch directory', () => {
  test('is one private directory per user, reused', async () => {
    const root = await mkdtemp(join(base, 'fresh-'));
    const first = await prepareScratchDir(root);
    expect(first).toBe(expected(root));
    expect((await stat(first)).mode & 0o777).toBe(0o700);
    expect(await prepareScratchDir(root)).toBe(first);
  });

  test('a directory others can write to is not trusted: a fresh private one is used', async () => {
    const root = await mkdtemp(join(base, 'open-'));
    await mkdir(expected(root));
    await chmod(expected(root), 0o777);
    const dir = await prepareScratchDir(root);
    expect(dir).not.toBe(expected(root));
    expect(dirname(dir)).toBe(root);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  test('a symlink planted at the path is not followed', async () => {
    const root = await mkdtemp(join(base, 'link-'));
    const elsewhere = await mkdtemp(join(base, 'target-'));
    await chmod(elsewhere, 0o700);
    await symlink(elsewhere, expected(root));
    const dir = await prepareScratchDir(root);
    expect(dir).not.toBe(expected(root));
    expect(dir.startsWith(elsewhere)).toBe(false);
  });

  test('a file at the path is not used', async () => {
    const root = await mkdtemp(join(base, 'file-'));
    await writeFile(expected(root), 'not a directory');
    expect(await prepareScratchDir(root)).not.toBe(expected(root));
  });
});

describe('attempt files', () => {
  test('the script is written private and executable; remove() deletes script and output', async () => {
    const files = await createAttemptFiles();
    const script = await files.writeScript('echo hi', '.sh');
    expect((await stat(script)).mode & 0o777).toBe(0o700);
    expect(dirname(script)).toBe(dirname(files.outputPath));
    await writeFile(files.outputPath, 'a=1\n');
    expect(await files.readOutput(100)).toEqual({ kind: 'text', text: 'a=1\n' });
    await files.remove();
    expect(existsSync(script)).toBe(false);
    expect(existsSync(files.outputPath)).toBe(false);
  });

  test('readOutput tells absent, too large and not-a-file apart', async () => {
    const files = await createAttemptFiles();
    expect(await files.readOutput(100)).toEqual({ kind: 'absent' });
    await writeFile(files.outputPath, 'x'.repeat(101));
    expect(await files.readOutput(100)).toEqual({ kind: 'too-large', bytes: 101 });
    await rm(files.outputPath);
    await mkdir(files.outputPath);
    expect(await files.readOutput(100)).toEqual({ kind: 'not-a-file' });
    await files.remove();
    expect(existsSync(files.outputPath)).toBe(false);
  });

  test('two attempts never share a file', async () => {
    const [a, b] = await Promise.all([createAttemptFiles(), createAttemptFiles()]);
    expect(a.outputPath).not.toBe(b.outputPath);
  });
});
