import { expect, it } from 'vitest';
import { TextScanner } from '../detect/scan-text.js';
import { ALNUM, BASE32, BASE64, checksummedToken, fake } from '../rules/samples.js';
import { builtinRules } from '../rules/table.js';
import { toFinding } from './to-finding.js';

const scanner = new TextScanner(builtinRules);
const redacted = (text: string, file: string) => scanner.scan(text, 1, undefined, { file }).map((d) => `${d.rule.id} ${toFinding(d, { file }, 'salt').redacted}`);

it('redacts to the provider prefix and the length, showing nothing of a generic or name-assigned value', () => {
  const password = 'Vx9' + fake(ALNUM, 11, 'redact-pw') + '#2';
  expect(redacted(`DB_PASSWORD=${password}\n`, '.env')).toEqual(['generic-secret-assignment …(16)']);
  expect(redacted(`url: postgres://app:${fake(ALNUM, 18, 'redact-url')}@db.internal:5432/app\n`, 'a.yaml')).toEqual(['url-credentials …(18)']);
  expect(redacted(`aws_secret_access_key = "${fake(BASE64, 40, 'redact-aws')}"\n`, 'a.py')).toEqual(['aws-secret-access-key …(40)']);
  expect(redacted(`GITHUB_TOKEN=${checksummedToken('ghp_', 'redact-ghp')}\n`, '.env')).toEqual(['github-pat ghp_…(40)']);
  expect(redacted(`AWS_ACCESS_KEY_ID = "AKIA${fake(BASE32, 16, 'redact-akia')}"\n`, 'a.py')).toEqual(['aws-access-key-id AKIA…(20)']);
});
