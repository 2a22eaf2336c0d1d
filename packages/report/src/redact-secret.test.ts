import { describe, expect, it } from 'vitest';
import { redactSecret } from './redact-secret.js';

describe('redactSecret', () => {
  it('keeps a recognisable prefix and the length of long tokens', () => {
    expect(redactSecret(`ghp_${'A1b2'.repeat(9)}`)).toBe('ghp_…(40)');
    expect(redactSecret('AKIAZ3MSJV4WWNKWW5FG')).toBe('AKIA…(20)'); // psr-allow (test sample)
  });

  it('shows nothing of short values such as passwords', () => {
    expect(redactSecret('hunter2')).toBe('…(7)');
    expect(redactSecret('correct-horse1')).toBe('…(14)');
    expect(redactSecret('')).toBe('…(0)');
  });

  it('shows a documented provider prefix when asked, and only if the value has it', () => {
    const key = `sk-ant-api03-${'x'.repeat(95)}`;
    expect(redactSecret(key, { knownPrefix: 'sk-ant-' })).toBe('sk-ant-…(108)');
    expect(redactSecret(`xyz${'q'.repeat(30)}`, { knownPrefix: 'sk-ant-' })).toBe('xyzq…(33)');
    // A "prefix" longer than half the value would reveal it.
    expect(redactSecret('github_pat_ab', { knownPrefix: 'github_pat_' })).toBe('…(13)');
  });

  it('never returns the secret or more than a few characters of it', () => {
    const secrets = [
      `ghp_${'Zz9'.repeat(12)}`,
      'xoxb-2048-1234567890-AbCdEfGhIjKlMnOpQrStUvWx',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA75\n-----END RSA PRIVATE KEY-----',
      'postgres://admin:S3cr3tPassw0rd@db.internal:5432/app', // psr-allow (test sample)
    ];
    for (const s of secrets) {
      const out = redactSecret(s);
      expect(out).not.toContain(s.slice(4, 12));
      expect(out).toMatch(/^[\x21-\x7e]{0,4}…\(\d+\)$/);
    }
  });

  it('counts characters, not UTF-16 units, and never emits control characters', () => {
    expect(redactSecret('🔑'.repeat(20))).toBe('…(20)');
    expect(redactSecret('\tabcdefghijklmnopqrstu')).toBe('…(22)');
  });
});
