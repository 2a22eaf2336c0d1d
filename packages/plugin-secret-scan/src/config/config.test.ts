import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBaseline } from '../baseline/baseline.js';
import { ALNUM, fake } from '../rules/samples.js';
import { tempRepo } from '../testing/temp-repo.js';
import { Allowlist, loadSecretScanConfig, parseSize } from './config.js';

const repo = tempRepo('psr-secret-config-');
afterAll(() => repo.dispose());
const load = (text: string) => {
  repo.write('c.yml', text);
  return loadSecretScanConfig(path.join(repo.root, 'c.yml'), 'c.yml');
};

describe('secret-scan config', () => {
  it('loads allowlists and sizes', async () => {
    const c = await load("salt: s\nmaxFileSize: 2MB\nallow:\n  paths: ['fixtures/**']\n  rules: [jwt]\n  regexes: ['^dev-']\n  stopwords: [LocalDev]\n");
    expect(c.maxFileSize).toBe(2 * 1024 * 1024);
    const a = new Allowlist(c);
    expect(a.allowsPath('fixtures/a/b.env')).toBe(true);
    expect(a.allowsPath('src/a.env')).toBe(false);
    expect(a.allows('jwt', 'x')).toMatch(/rule jwt/);
    expect(a.allows('github-pat', 'dev-123')).toMatch(/regex/);
    expect(a.allows('github-pat', 'abc-localdev-1')).toMatch(/stopword/);
    expect(a.allows('github-pat', 'prod-123')).toBeUndefined();
  });

  it('points at the offending line for unknown keys, bad types, bad regexes and broken YAML', async () => {
    await expect(load('allow:\n  path: [x]\n')).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_CONFIG', location: { file: 'c.yml', line: 2, col: 3 }, message: 'unknown key under allow' });
    await expect(load('salt: s\nallow:\n  regexes: ["(unclosed"]\n')).rejects.toMatchObject({ location: { line: 3 } });
    await expect(load('maxFileSize: lots\n')).rejects.toMatchObject({ location: { line: 1, col: 14 } });
    await expect(load('allow: [\n')).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_CONFIG', message: expect.stringContaining('invalid YAML') });
    // An alias with no anchor (found by mutating a config): a typed error, not YAML's ReferenceError.
    await expect(load("allow:\n  regexes: *patterns\n")).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_CONFIG', message: expect.stringContaining('invalid YAML') });
    await expect(load(`allow: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_CONFIG', message: 'invalid YAML: it is nested too deeply to read' });
    await expect(loadSecretScanConfig(path.join(repo.root, 'missing.yml'))).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_CONFIG' });
  });

  it('never quotes the file: a secret pasted into the config or baseline stays out of messages, causes and code frames', async () => {
    const token = 'sk_live_' + fake(ALNUM, 30, 'cfg-secret');
    const texts = [`${token}: 1\n`, `stripe_key: ${token}\n`, `allow:\n  ${token}: [x]\n`, `maxFileSize: ${token}\n`, `allow:\n  regexes: ["(${token}"]\n`, `allow:\n  regexes: *${token}\n`, `a: [${token}\n`, `salt: ${token}\nsalt: x\n`, `allow:\n  paths: ${token}\n`];
    for (const text of texts) {
      const error = await load(text).then(() => undefined, (e: unknown) => e);
      expect(error, text.replace(token, '<token>')).toMatchObject({ code: 'PSR_SECRET_SCAN_CONFIG', location: { file: 'c.yml', sensitive: true } });
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain(token.slice(8));
    }
    await expect(load(`allow:\n  regexes: ["(${token}"]\n`)).rejects.toMatchObject({ message: 'allow.regexes[0] is not a valid regular expression (Unterminated group)' });
    repo.write('b.json', `${token}\n`);
    const error = await readBaseline(path.join(repo.root, 'b.json'), 'b.json').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'PSR_SECRET_SCAN_BASELINE', location: { sensitive: true } });
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain(token.slice(8));
  });

  it('parses sizes', () => {
    expect(parseSize('10MB')).toBe(10 * 1024 * 1024);
    expect(parseSize('512kb')).toBe(512 * 1024);
    expect(parseSize(100)).toBe(100);
    expect(() => parseSize('-1')).toThrow(/invalid size/);
  });
});
