import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecrets } from './loadSecrets.js';

let dir: string;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
function tmp(): string {
  dir = mkdtempSync(join(tmpdir(), 'psr-secrets-'));
  return dir;
}

describe('loadSecrets', () => {
  it('reads PSR_SECRET_* from the environment', async () => {
    expect(await loadSecrets({ env: { PSR_SECRET_API_TOKEN: 'abc123', PSR_SECRET_: 'x', OTHER: 'no', PSR_SECRET_EMPTY: '' } })).toEqual({ API_TOKEN: 'abc123', EMPTY: '' });
  });

  it('parses a .env file (quotes, comments, multi-line) and lets it win over the environment', async () => {
    const file = join(tmp(), '.secrets.env');
    writeFileSync(file, '# comment\nAPI_TOKEN=from-file\nQUOTED="a b # c"\nPSR_SECRET_PREFIXED=p\nKEY="-----BEGIN-----\nabc\n-----END-----"\nexport EXPORTED=e\n');
    const secrets = await loadSecrets({ env: { PSR_SECRET_API_TOKEN: 'from-env', PSR_SECRET_ONLY_ENV: 'x' }, file });
    expect(secrets).toEqual({ API_TOKEN: 'from-file', ONLY_ENV: 'x', QUOTED: 'a b # c', PREFIXED: 'p', KEY: '-----BEGIN-----\nabc\n-----END-----', EXPORTED: 'e' });
  });

  it('refuses a missing file, a directory, a binary file and a huge file with PSR_SECRETS_FILE', async () => {
    const d = tmp();
    await expect(loadSecrets({ env: {}, file: join(d, 'missing.env') })).rejects.toMatchObject({ code: 'PSR_SECRETS_FILE', message: expect.stringContaining('no such file') });
    mkdirSync(join(d, 'adir'));
    await expect(loadSecrets({ env: {}, file: join(d, 'adir') })).rejects.toMatchObject({ code: 'PSR_SECRETS_FILE', message: expect.stringContaining('not a regular file') });
    writeFileSync(join(d, 'bin'), Buffer.from([0x41, 0x3d, 0x00, 0x01]));
    await expect(loadSecrets({ env: {}, file: join(d, 'bin') })).rejects.toMatchObject({ code: 'PSR_SECRETS_FILE', message: expect.stringContaining('binary') });
    writeFileSync(join(d, 'huge'), 'A=' + 'x'.repeat(2 * 1024 * 1024));
    await expect(loadSecrets({ env: {}, file: join(d, 'huge') })).rejects.toMatchObject({ code: 'PSR_SECRETS_FILE', hint: expect.stringContaining('NAME=value') });
  });
});
