import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TaskFailure } from '@psr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, BASE32, BASE64URL, HEX, checksummedToken, fake, fakeJwt, fakePrivateKey, seededRandom } from './rules/samples.js';
import { runSecretScanTask, secretScanInput } from './task.js';
import { captureContext } from './testing/task-context.js';
import { tempRepo } from './testing/temp-repo.js';

type Maker = (rng: () => number) => { line: (v: string) => string; value: string };
const makers: Maker[] = [
  (r) => ({ value: checksummedToken('ghp_', '', r), line: (v) => `GITHUB_TOKEN=${v}` }),
  (r) => ({ value: checksummedToken('npm_', '', r), line: (v) => `//registry.npmjs.org/:_authToken=${v}` }),
  (r) => ({ value: 'AKIA' + fake(BASE32, 16, '', r), line: (v) => `aws_access_key_id = ${v}` }),
  (r) => ({ value: 'sk_live_' + fake(ALNUM, 40, '', r), line: (v) => `stripe.api_key = "${v}"` }),
  (r) => ({ value: `xoxb-${fake('0123456789', 12, '', r)}-${fake('0123456789', 13, '', r)}-${fake(ALNUM, 24, '', r)}`, line: (v) => `  slack_token: ${v}` }),
  (r) => ({ value: 'glpat-' + fake(BASE64URL, 20, '', r), line: (v) => `GITLAB_TOKEN="${v}"` }),
  (r) => ({ value: `sk-ant-api03-${fake(BASE64URL, 93, '', r)}AA`, line: (v) => `client = Anthropic(api_key="${v}")` }),
  (r) => ({ value: 'dop_v1_' + fake(HEX, 64, '', r), line: (v) => `do_token = "${v}"` }),
  (r) => ({ value: fakeJwt('', r), line: (v) => `Authorization: Bearer ${v}` }),
  (r) => ({ value: 'Qz7' + fake(ALNUM, 14, '', r) + '!x', line: (v) => `DB_PASSWORD=${v}` }),
  (r) => ({ value: fake(ALNUM, 20, '', r) + '9q', line: (v) => `mongodb://svc:${v}@mongo.internal:27017/app` }),
  (r) => ({ value: fake(ALNUM, 32, '', r) + 'a1', line: (v) => `  "api_key": "${v}",` }),
];
const fillers = ['const x = compute(a, b);', '# configuration for the service', 'def handler(event, context):', '  - name: build', '', 'SELECT * FROM users WHERE id = $1;', '<div class="token-list">', 'password: ${DB_PASSWORD}'];

describe('redaction property', () => {
  it('no output file, log line or span attribute ever contains a planted secret', async () => {
    const key = await fakePrivateKey('ec');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const rng = seededRandom(seed);
        const repo = tempRepo('psr-secret-prop-');
        const planted: string[] = [];
        try {
          const files = 2 + Math.floor(rng() * 5);
          for (let f = 0; f < files; f++) {
            const lines: string[] = [];
            const count = 5 + Math.floor(rng() * 30);
            for (let i = 0; i < count; i++) {
              if (rng() < 0.3) {
                const made = makers[Math.floor(rng() * makers.length)]!(rng);
                planted.push(made.value);
                lines.push(made.line(made.value));
              } else lines.push(fillers[Math.floor(rng() * fillers.length)]!);
            }
            if (rng() < 0.2) {
              lines.push(key);
              planted.push(key.split('\n')[1]!);
            }
            const ext = ['.env', '.yaml', '.py', '.json', '.ts', '.md'][Math.floor(rng() * 6)];
            repo.write(`dir${f % 2}/file${f}${ext}`, lines.join('\n') + '\n');
          }
          const exporter = new InMemorySpanExporter();
          const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
          const tracer = provider.getTracer('prop');
          const span = tracer.startSpan('attempt');
          const { ctx, logs } = captureContext(repo.root, { span, tracer });
          const outDir = path.join(repo.root, 'out');
          const outputs = ['r.json', 'r.sarif', 'r.md', 'r.txt'].map((n) => path.join(outDir, n));
          let failure: TaskFailure | undefined;
          try {
            await runSecretScanTask(ctx, secretScanInput.parse({ format: ['json', 'sarif', 'markdown', 'table'], output: outputs, baseline: 'out/baseline.json' }));
          } catch (error) {
            if (!(error instanceof TaskFailure)) throw error;
            failure = error;
          }
          span.end();
          await provider.forceFlush();
          const spans = exporter.getFinishedSpans().map((s) => JSON.stringify({ name: s.name, attributes: s.attributes, events: s.events }));
          const haystack = [...outputs.map((f) => readFileSync(f, 'utf8')), ...logs, ...spans, failure?.message ?? '', JSON.stringify(failure?.outputs ?? {})].join('\n');
          if (planted.length > 0) expect(failure?.kind).toBe('findings');
          // Every planted secret is found, once.
          expect(failure?.outputs?.['total'] ?? 0).toBe(planted.length);
          for (const secret of planted) expect(haystack.includes(secret)).toBe(false);
        } finally {
          repo.dispose();
        }
      }),
      { seed: 20240601, numRuns: 25 },
    );
  }, 120_000);
});
