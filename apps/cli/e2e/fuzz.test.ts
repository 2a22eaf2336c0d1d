/**
 * Fuzzing `psr validate` with hundreds of seeded mutations of real workflows: whatever the
 * input, psr answers 0 (valid) or 2 (invalid, with diagnostics) — never a crash, an internal
 * error or a stack trace. Most cases run in-process through `runCommand` (fast); a few go
 * through the built binary.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/main.js';
import { psr, repoRoot, workspace } from './harness.js';

const SEED = 20261122;
const CASES = 400;

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed from its index. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bases = [
  readFileSync(join(repoRoot, 'examples/hello/workflow.yml'), 'utf8'),
  `name: base
inputs:
  target: { type: string, default: staging, enum: [staging, prod] }
concurrency: 2
timeout: 5m
defaults: { retry: { attempts: 2, delay: 1s, backoff: exponential }, timeout: 1m }
tasks:
  a: { run: echo a, env: { X: "1" } }
  b:
    needs: [a]
    if: \${{ inputs.target == 'prod' && success() }}
    strategy: { matrix: { py: ["3.11", "3.12"], include: [{ py: "3.13", os: mac }], exclude: [{ py: "3.11" }] }, max-parallel: 1 }
    run: echo \${{ matrix.py }} \${{ tasks.a.outputs.x }}
  c: { needs: [a, b], script: s.py, args: ["--n", 1], retry: 3, continue-on-error: true }
`,
];

const tokens = [
  ':', ' ', '\n', '  ', '- ', '{', '}', '[', ']', '"', "'", '#', '&a', '*a', '!!str ', '${{', '}}', '${{ tasks.', 'needs: [a]',
  'timeout: 10x', 'retry: { attempts: 0 }', 'if: ${{ )( }}', 'uses: nope', 'matrix: 5', '\t', '\u0000', '\uFFFD', 'null', '~',
  '-1', '1e999', 'true', '<<: *a', '? ', '|', '>', '%YAML 1.2\n---\n', '...', 'a'.repeat(300),
];

function mutate(text: string, rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let out = text;
  const steps = 1 + Math.floor(rand() * 3);
  for (let s = 0; s < steps; s++) {
    const lines = out.split('\n');
    const pos = Math.floor(rand() * (out.length + 1));
    switch (Math.floor(rand() * 8)) {
      case 0: // delete a span
        out = out.slice(0, pos) + out.slice(pos + 1 + Math.floor(rand() * 20));
        break;
      case 1: // insert a token
        out = out.slice(0, pos) + pick(tokens) + out.slice(pos);
        break;
      case 2: {
        // duplicate a line
        const i = Math.floor(rand() * lines.length);
        lines.splice(i, 0, lines[i] ?? '');
        out = lines.join('\n');
        break;
      }
      case 3: {
        // swap two lines
        const i = Math.floor(rand() * lines.length);
        const j = Math.floor(rand() * lines.length);
        [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        out = lines.join('\n');
        break;
      }
      case 4: {
        // re-indent a line
        const i = Math.floor(rand() * lines.length);
        lines[i] = ' '.repeat(Math.floor(rand() * 7)) + (lines[i] ?? '').trimStart();
        out = lines.join('\n');
        break;
      }
      case 5: // truncate
        out = out.slice(0, pos);
        break;
      case 6: {
        // replace a scalar after a colon
        const i = Math.floor(rand() * lines.length);
        lines[i] = (lines[i] ?? '').replace(/:\s.*$/, `: ${pick(tokens)}`);
        out = lines.join('\n');
        break;
      }
      default: // random bytes
        out = out.slice(0, pos) + String.fromCharCode(...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256))) + out.slice(pos);
    }
  }
  return out;
}

function assertClean(label: string, r: { exitCode?: number | null; code?: number | null; stdout: string; stderr: string }): void {
  const code = r.exitCode ?? r.code;
  expect([0, 2], `${label}: exit ${code}\n${r.stderr}`).toContain(code);
  expect(r.stderr, label).not.toContain('internal error');
  expect(r.stderr, label).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  if (code === 2) expect(r.stderr, label).toMatch(/\[PSR_[A-Z_]+\]/);
}

describe('fuzzing psr validate', () => {
  it(`${CASES} seeded mutations in-process: exit 0 or 2, never a crash`, async () => {
    const rand = prng(SEED);
    const dir = workspace({ 's.py': 'print(1)\n' });
    const counts = { valid: 0, invalid: 0 };
    for (let i = 0; i < CASES; i++) {
      const text = mutate(bases[i % bases.length]!, rand);
      const file = join(dir, 'wf.yml');
      writeFileSync(file, text);
      const r = await runCommand(['validate', file], { cwd: dir });
      assertClean(`case ${i} (seed ${SEED})\n--- input ---\n${text}\n---`, r);
      counts[r.exitCode === 0 ? 'valid' : 'invalid']++;
    }
    // The mutations must actually exercise both paths.
    expect(counts.invalid).toBeGreaterThan(CASES / 4);
    expect(counts.valid).toBeGreaterThan(0);
  });

  it('a few mutations through the real binary', async () => {
    const rand = prng(SEED + 1);
    const dir = workspace({ 's.py': 'print(1)\n' });
    for (let i = 0; i < 6; i++) {
      const text = mutate(bases[i % bases.length]!, rand);
      writeFileSync(join(dir, `wf${i}.yml`), text);
      assertClean(`binary case ${i}\n${text}`, await psr(['validate', `wf${i}.yml`], { cwd: dir }));
    }
  });
});
