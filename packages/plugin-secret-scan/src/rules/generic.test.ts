import { describe, expect, it } from 'vitest';
import { ALNUM, BASE64, fake, seededRandom } from './samples.js';
import { TextScanner } from '../detect/scan-text.js';
import { assessAssignment, isTypeName } from './generic.js';
import { builtinRules } from './table.js';

describe('assessAssignment', () => {
  it('keeps a base64 secret that starts with / (one in 64 does) and drops paths', () => {
    const rng = seededRandom(64);
    let checked = 0;
    for (let i = 0; checked < 20 && i < 10_000; i++) {
      const value = fake(BASE64, 40, '', rng);
      if (!value.startsWith('/')) continue;
      checked++;
      expect(assessAssignment('client_secret', value, `"client_secret": "${value}",`), value).toBe('unknown');
    }
    expect(checked).toBe(20);
    for (const path of ['/run/secrets/db_password', '/Users/JohnSmith/Library/Keychains/login', '/var/lib/app/tokens/ServiceAccount', '/Users/John.Smith/.ssh/id_ed25519', '/mnt/DATA/KEYS/prod', '/api/v1/token', './secrets/token', '~/.config/app/token'])
      expect(assessAssignment('secret', path, `secret: ${path}`), path).toBe('invalid');
  });

  it('knows type names, and random tokens are seldom taken for one', () => {
    for (const name of ['BinaryLike', 'RequestCredentials', 'URLPatternComponentResult', '_EllipticCurvePrivateKey', 'NoSubstitutionTemplateLiteral', 'TransformOptions', 'ExclusiveStartShardId', 'LegacyAndGoogleAuthCredentialsUnionType', 'SSHPrivateKeyTypes', 'URLSearchParamsInit'])
      expect(isTypeName(name), name).toBe(true);
    for (const value of ['MyKey', 'QInwmnjvjbzrmIPe', 'Zq9XbT4mVc7LpR2nWk8YsH3d', 'correct-horse']) expect(isTypeName(value), value).toBe(false);
    // Letters-only random tokens are the ones at risk: 16 characters ~1 in 6,000 (an earlier
    // pattern without the word checks took 1 in 35).
    const random = seededRandom(16);
    let taken = 0;
    for (let i = 0; i < 100_000; i++) if (isTypeName(fake(ALNUM, 16, '', random))) taken++;
    expect(taken).toBeLessThanOrEqual(25);
  });
});

describe('the generic rule in code and in data files', () => {
  it('takes an unquoted name in code for a type or a variable, and the same line in YAML for a value', () => {
    const scanner = new TextScanner(builtinRules);
    const found = (text: string, file: string): string[] => scanner.scan(text, 1, undefined, { file }).map((d) => `${d.rule.id}:${d.line}`);
    const stub = 'class Protection:\n    reservationPassword: Incomplete\n    auth_class = OAuth2ClientAuth\n';
    expect(found(stub, 'openpyxl/workbook/protection.pyi')).toEqual([]);
    const token = `k${fake(ALNUM, 31, 'code-quoted')}`;
    expect(found(`reservationPassword: ${token}\n`, 'config.yaml')).toEqual(['generic-secret-assignment:1']);
    // Quoted, a literal is reported in code too.
    expect(found(`API_TOKEN = "${token}"\n`, 'settings.py')).toEqual(['generic-secret-assignment:1']);
    expect(found(`API_TOKEN = ${token}\n`, 'settings.py')).toEqual([]);
    expect(found(`API_TOKEN=${token}\n`, '.env')).toEqual(['generic-secret-assignment:1']);
  });

  it('takes the quoted password of ConvertTo-SecureString, not the cmdlet name', () => {
    const scanner = new TextScanner(builtinRules);
    const password = fake(ALNUM, 32, 'ps-secure');
    const hits = scanner.scan(`$password = ConvertTo-SecureString "${password}" -AsPlainText -Force\n`, 1, undefined, { file: 'deploy.ps1' });
    expect(hits.map((d) => [d.rule.id, d.column, d.secret === password])).toEqual([['generic-secret-assignment', 37, true]]);
  });
});
