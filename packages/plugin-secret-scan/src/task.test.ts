import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TaskFailure } from '@psr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALNUM, BASE32, BASE64, BASE64URL, HEX, checksummedToken, fake, fakePrivateKey } from './rules/samples.js';
import { secretScanInput, runSecretScanTask } from './task.js';
import { captureContext } from './testing/task-context.js';
import { tempRepo } from './testing/temp-repo.js';

// Every planted secret, built at run time (never literal in the source).
const S = {
  ghp: checksummedToken('ghp_', 'e2e-ghp'),
  dbPassword: 'Vx9' + fake(ALNUM, 11, 'e2e-pw') + '#2',
  slack: `xoxb-${fake('0123456789', 12, 'e2e-s1')}-${fake('0123456789', 13, 'e2e-s2')}-${fake(ALNUM, 24, 'e2e-s3')}`,
  stripe: 'sk_live_' + fake(ALNUM, 32, 'e2e-stripe'),
  allowedStripe: 'sk_live_' + fake(ALNUM, 32, 'e2e-stripe-allowed'),
  awsId: 'AKIA' + fake(BASE32, 16, 'e2e-aws'),
  awsSecret: fake(BASE64, 40, 'e2e-aws-secret'),
  openai: `sk-proj-${fake(BASE64URL, 60, 'e2e-oa1')}T3BlbkFJ${fake(BASE64URL, 60, 'e2e-oa2')}`,
  tfPassword: 'Zq4' + fake(ALNUM, 13, 'e2e-tf') + '!',
  gcp: 'AIza' + fake(BASE64URL, 35, 'e2e-gcp'),
  ignored: checksummedToken('ghp_', 'e2e-ignored'),
  fixture: checksummedToken('ghp_', 'e2e-fixture'),
  binary: checksummedToken('ghp_', 'e2e-binary'),
  big: checksummedToken('ghp_', 'e2e-big'),
  later: 'sk_live_' + fake(ALNUM, 40, 'e2e-later'),
  pgUrl: fake(ALNUM, 18, 'e2e-pg'),
};
let key = '';

const repo = tempRepo();
const outDir = path.join(repo.root, '..', `${path.basename(repo.root)}-out`);

beforeAll(async () => {
  key = await fakePrivateKey('ec');
  const w = repo.write;
  repo.git('init', '-q', '-b', 'main');
  // History: a GCP key committed, then deleted.
  w('old/credentials.json', JSON.stringify({ type: 'api', key: S.gcp }, null, 2) + '\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'add credentials');
  repo.git('rm', '-q', 'old/credentials.json');
  repo.git('commit', '-q', '-m', 'remove credentials');

  w('.gitignore', 'ignored/\n*.log\n');
  w('.env', `# local settings\nGITHUB_TOKEN=${S.ghp}\nDB_PASSWORD=${S.dbPassword}\nDB_HOST=localhost\n`);
  w('config/app.yaml', `slack:\n  channel: "#ops"\n  bot_token: ${S.slack}\ndatabase:\n  password: \${DB_PASSWORD}\n  url: postgres://app:${S.pgUrl}@db.internal:5432/app\n`);
  w('src/billing.ts', `import Stripe from 'stripe';\n\nexport const stripe = new Stripe('${S.stripe}');\nexport const legacy = '${S.allowedStripe}'; // psr-allow: stripe-secret-key\n`);
  w('src/settings.py', `import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\nAWS_ACCESS_KEY_ID = "${S.awsId}"\naws_secret_access_key = "${S.awsSecret}"\nEXAMPLE_ID = "AKIA${'IOSFODNN7EXAMPLE'}"\n`);
  w('package-lock.json', JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { 'node_modules/a': { version: '1.0.0', integrity: 'sha512-' + fake(BASE64, 86, 'e2e-int') + '==' } } }, null, 2));
  w('docs/README.md', `# Setup\n\nSet \`GITHUB_TOKEN=<YOUR_TOKEN>\` and \`api_key: your-api-key\`.\nExample: AKIA${'IOSFODNN7EXAMPLE'}\nCommit ${fake(HEX, 40, 'e2e-sha')} fixed it. Request id 550e8400-e29b-41d4-a716-446655440000.\n`);
  w('notebooks/analysis.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', source: ['import openai\n', `openai.api_key = "${S.openai}"\n`] }], nbformat: 4 }, null, 1));
  w('infra/main.tf', `resource "aws_db_instance" "db" {\n  username = "app"\n  password = "${S.tfPassword}"\n  tags     = { sha = "${fake(HEX, 64, 'e2e-tfsha')}" }\n}\n`);
  w('keys/deploy_key', key);
  w('keys/deploy_key.pub', `-----BEGIN PUBLIC KEY-----\n${fake(BASE64, 64, 'e2e-pub')}\n-----END PUBLIC KEY-----\n`);
  w('assets/logo.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(`token=${S.binary}`)]));
  w('logs/huge.txt', 'x'.repeat(300 * 1024) + `\ntoken=${S.big}\n`);
  w('ignored/secret.env', `GITHUB_TOKEN=${S.ignored}\n`);
  w('test/fixtures/fake.env', `GITHUB_TOKEN=${S.fixture}\n`);
  w('.psr/secret-scan.yml', `salt: e2e-salt\nallow:\n  paths: ['test/fixtures/**']\n`);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'app');
});
afterAll(() => {
  repo.dispose();
});

async function run(input: Record<string, unknown>) {
  const { ctx, logs } = captureContext(repo.root);
  const parsed = secretScanInput.parse(input);
  try {
    return { outputs: await runSecretScanTask(ctx, parsed), logs, failure: undefined };
  } catch (error) {
    if (error instanceof TaskFailure) return { outputs: error.outputs!, logs, failure: error };
    throw error;
  }
}

type Out = { rule: string; file: string; line: number; suppressed?: string; commit?: string; confidence: string; redacted: string; author?: string };
const summarize = (findings: unknown) => (findings as Out[]).map((f) => `${f.rule} ${f.file}:${f.line}${f.suppressed ? ` (${f.suppressed})` : ''}`).sort();

describe('secret-scan task on a realistic repository', () => {
  it('reports exactly the planted secrets, with suppressions, skips and redaction', async () => {
    const outputs = [path.join(outDir, 'r.json'), path.join(outDir, 'r.sarif'), path.join(outDir, 'r.md'), path.join(outDir, 'r.txt')];
    const { outputs: out, logs, failure } = await run({ 'max-file-size': '200KB', format: ['json', 'sarif', 'markdown', 'table'], output: outputs });
    expect(failure?.kind).toBe('findings');
    expect(failure?.exitCode).toBe(1);
    expect(summarize(out['findings'])).toEqual(
      [
        'aws-access-key-id src/settings.py:4',
        'aws-secret-access-key src/settings.py:5',
        'generic-secret-assignment .env:3',
        'generic-secret-assignment infra/main.tf:3',
        'github-pat .env:2',
        'openai-api-key notebooks/analysis.ipynb:7',
        'private-key-ec keys/deploy_key:1',
        'slack-bot-token config/app.yaml:3',
        'stripe-secret-key src/billing.ts:3',
        'stripe-secret-key src/billing.ts:4 (inline)',
        'url-credentials config/app.yaml:6',
      ].sort(),
    );
    expect(out['total']).toBe(10);
    expect(out['suppressed']).toBe(1);
    expect(out['skippedBinary']).toBe(1);
    expect(out['skippedOversized']).toBe(1);
    const byRule = new Map((out['findings'] as Out[]).map((f) => [f.rule, f]));
    expect(byRule.get('github-pat')?.confidence).toBe('high');
    expect(byRule.get('github-pat')?.redacted).toBe('ghp_…(40)');
    expect(byRule.get('private-key-ec')?.confidence).toBe('high');
    expect(logs.some((l) => l.startsWith('warn .env:2:14  github-pat  ghp_…(40)'))).toBe(true);
    expect(logs.find((l) => l.startsWith('info secret-scan:'))).toMatch(/; skipped 1 binary, 1 oversized, 0 symlink\(s\), 1 \.gitignored, 1 allowlisted path\(s\)$/);
    // No planted secret in any output file or log line.
    const everything = [...outputs.map((f) => readFileSync(f, 'utf8')), ...logs, JSON.stringify(out), failure?.message ?? ''].join('\n');
    for (const [name, value] of Object.entries(S)) expect(everything.includes(value), name).toBe(false);
    expect(everything.includes(key.split('\n')[1]!)).toBe(false);
    const sarif = JSON.parse(readFileSync(outputs[1]!, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBe(11);
  });

  it('finds a secret that was committed and later deleted, with commit and author', async () => {
    const { outputs: out, failure } = await run({ mode: 'history' });
    expect(failure).toBeDefined();
    const findings = out['findings'] as Out[];
    const gcp = findings.find((f) => f.rule === 'gcp-api-key');
    expect(gcp).toMatchObject({ file: 'old/credentials.json', line: 3, author: 'Ada Lovelace <ada@example.org>' });
    const first = repo.git('rev-list', '--max-parents=0', 'HEAD').trim();
    expect(gcp?.commit).toBe(first);
    // History sees what was committed: not gitignored files, allowlisted paths or binaries.
    expect(summarize(findings).filter((l) => l.startsWith('github-pat'))).toEqual(['github-pat .env:2', 'github-pat logs/huge.txt:2']);
  });

  it('a baseline accepts today’s findings so only new leaks fail', async () => {
    const baseline = path.join(outDir, 'baseline.json');
    const updated = await run({ baseline, 'update-baseline': true, 'max-file-size': '200KB' });
    expect(updated.failure).toBeUndefined();
    const file = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(file.findings.map((f: { rule: string; file: string }) => `${f.rule} ${f.file}`)).toHaveLength(10);
    expect(JSON.stringify(file)).not.toContain(S.ghp);
    expect(readdirSync(outDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const clean = await run({ baseline, 'max-file-size': '200KB' });
    expect(clean.failure).toBeUndefined();
    expect(clean.outputs['total']).toBe(0);
    expect(clean.outputs['suppressed']).toBe(11);

    repo.write('src/new.ts', `export const key = "${S.later}";\n`);
    const fresh = await run({ baseline, 'max-file-size': '200KB' });
    expect(fresh.failure?.kind).toBe('findings');
    expect(summarize((fresh.outputs['findings'] as Out[]).filter((f) => !f.suppressed))).toEqual(['stripe-secret-key src/new.ts:1']);
  });

  it('scans one file named alone, by its folder\'s config, with its baseline in that folder', async () => {
    const one = await run({ path: 'config/app.yaml' });
    expect(one.failure?.kind).toBe('findings');
    expect(summarize((one.outputs['findings'] as Out[]).filter((f) => !f.suppressed))).toEqual(['slack-bot-token config/app.yaml:3', 'url-credentials config/app.yaml:6'].map((s) => s.replace('config/', '')));
    expect(one.outputs['filesScanned']).toBe(1);
    // The root's config allowlists test/fixtures/**: named alone, the file is still its folder's.
    const fixture = await run({ path: 'test/fixtures/fake.env' });
    expect((fixture.outputs['findings'] as Out[]).length).toBe(1);
    const accepted = await run({ path: 'src/billing.ts', 'update-baseline': true });
    expect(accepted.failure).toBeUndefined();
    expect(readdirSync(path.join(repo.root, 'src', '.psr'))).toEqual(['secret-scan-baseline.json']);
    await expect(run({ path: 'src/billing.ts', mode: 'history' })).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_TARGET', message: expect.stringContaining('history mode scans a repository') });
  });

  it('rejects bad input with coded errors', async () => {
    await expect(run({ path: 'does-not-exist' })).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_TARGET' });
    repo.write('bad.yml', 'allow:\n  paths: notalist\n');
    await expect(run({ config: 'bad.yml' })).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_CONFIG', location: { file: expect.stringContaining('bad.yml'), line: 2 } });
    await expect(run({ mode: 'history', from: '--output=/tmp/x' })).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_GIT' });
    await expect(run({ mode: 'history', from: 'no-such-ref' })).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_GIT' });
    for (const mode of ['staged', 'files']) expect(() => secretScanInput.parse({ mode, since: '2024-01-01' }), mode).toThrow(/since applies to mode history only/);
    expect(() => secretScanInput.parse({ from: 'v1' })).toThrow(/from applies to mode history only, not files/);
    repo.write('bad-baseline.json', '{"version": 2}');
    await expect(run({ baseline: 'bad-baseline.json' })).rejects.toMatchObject({ code: 'PSR_SECRET_SCAN_BASELINE' });
  });
});
