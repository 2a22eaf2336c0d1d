import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TextScanner } from '../detect/scan-text.js';
import { builtinRules } from '../rules/table.js';
import { validatePrivateKey } from './pem.js';

const scanner = new TextScanner(builtinRules);
const dash = '-----';

/** A fresh EC key whose body has a line starting with `//` (about 1 key in 2,000 does at width 64). */
function ecKeyWithSlashLine(): string {
  for (;;) {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    const body = pem.split('\n').slice(1, -2).join('');
    const at = body.indexOf('//', 1);
    // Break the body just before the `//`: PEM readers accept lines of any width.
    if (at > 0) return `${dash}BEGIN EC PRIVATE KEY${dash}\n${body.slice(0, at)}\n${body.slice(at)}\n${dash}END EC PRIVATE KEY${dash}\n`;
  }
}

describe('validatePrivateKey', () => {
  it("drops a key AWS's docs marked as a sample inside its body (EXAMPLEBAAKCAQEA…), and keeps the same key unmarked", () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(scanner.scan(pem).map((d) => d.rule.id)).toEqual(['private-key-rsa']);
    const lines = pem.split('\n');
    lines[1] = `EXAMPLE${lines[1]!.slice(7)}`;
    expect(scanner.scan(lines.join('\n'))).toEqual([]);
  });

  it('keeps a body line that starts with // (base64, not a comment)', () => {
    const key = ecKeyWithSlashLine();
    expect(key).toMatch(/\n\/\//);
    expect(validatePrivateKey(key)).toBe('valid');
    expect(scanner.scan(key).map((d) => d.rule.id)).toEqual(['private-key-ec']);
    expect(scanner.scan(`const key = ${JSON.stringify(key)};`).map((d) => d.rule.id)).toEqual(['private-key-ec']);
  });

  it('reads a key pasted into a comment, marker on every line', () => {
    const key = ecKeyWithSlashLine().trimEnd();
    for (const marker of ['# ', '// ', ' * ', ';']) {
      const text = key.split('\n').map((line) => marker + line).join('\n');
      expect(validatePrivateKey(text), marker).toBe('valid');
      expect(scanner.scan(`${text}\n`).map((d) => d.rule.id), marker).toEqual(['private-key-ec']);
    }
  });

  it('drops stubs', () => {
    expect(validatePrivateKey(`${dash}BEGIN EC PRIVATE KEY${dash}\nMHcCAQEEI...\n${dash}END EC PRIVATE KEY${dash}`)).toBe('invalid');
  });
});
