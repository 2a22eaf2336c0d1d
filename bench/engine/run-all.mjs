// The engine benchmarks in one table: `pnpm bench:engine` (after `pnpm build`).
//
//   (a) scheduler overhead per task: 10,000 in-process no-op tasks, chain and fan-out
//       (bench/engine/scheduler.mjs), beside a bare-promise baseline      target <= 10 µs/task
//   (b) 500 `true` shell tasks through `psr run -j 2`, beside `xargs -P2`   target ratio <= 1.5
//   (c) cold start: `psr --version` and `psr validate` of a 200-task workflow,
//       beside `node -e 0`                                                  targets <= 100 / 300 ms
//
// Every figure is the median of several runs measured in this same invocation; nothing heavy
// is built here. Options: --runs N (cold-start repetitions, default 15), --tasks N (default 500),
// --only a,b,c (run some parts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'apps/cli/dist/bin.js');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, tasks: { type: 'string', default: '500' }, only: { type: 'string', default: 'a,b,c' } },
});
const parts = new Set(values.only.split(','));
const RUNS = Number(values.runs);
const SHELL_TASKS = Number(values.tasks);

for (const built of [bin, join(root, 'packages/core/dist/index.js'), join(root, 'packages/plugin-shell/dist/index.js')]) {
  if (!existsSync(built)) {
    console.error(`missing ${built}: run \`pnpm build\` first`);
    process.exit(2);
  }
}

const out = join(root, 'bench/.out/engine');
mkdirSync(out, { recursive: true });
const env = { ...process.env, CI: 'true', NO_COLOR: '1' };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall time (ms) of one process run to completion, output discarded. */
function wall(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env, cwd: root, ...options });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve(ms);
    });
  });
}

async function medianWall(runs, cmd, args, options) {
  await wall(cmd, args, options); // warm the page cache
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await wall(cmd, args, options));
  return median(times);
}

const rows = [];
const row = (name, psr, baseline, result, target, ok) => rows.push({ name, psr, baseline, result, target, ok });
const fmtMs = (ms) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;

try {
  // (a) scheduler overhead
  if (parts.has('a')) {
    const r = spawnSync(process.execPath, [join(root, 'bench/engine/scheduler.mjs')], { encoding: 'utf8', cwd: root, env });
    const lines = (r.stdout ?? '').split('\n');
    let found = 0;
    for (const shape of ['chain', 'fan-out']) {
      const line = lines.find((l) => l.startsWith(shape));
      const nums = line?.match(/-?\d+\.\d+/g)?.map(Number);
      if (!nums || nums.length < 3) continue;
      found++;
      const [base, eng, over] = nums;
      row(`(a) scheduler, 10k no-op tasks, ${shape}`, `${eng.toFixed(2)} µs/task`, `${base.toFixed(2)} µs/task`, `+${over.toFixed(2)} µs/task`, '<= 10 µs/task', over <= 10);
    }
    if (found === 0) console.error(`scheduler.mjs gave no figures:\n${r.stdout}\n${r.stderr}`);
  }

  // (b) N `true` shell tasks at -j 2 vs xargs -P2
  if (parts.has('b')) {
    const lines = ['name: bench-true', 'tasks:'];
    for (let i = 0; i < SHELL_TASKS; i++) lines.push(`  t${i}: { run: "true" }`);
    const wf = join(out, `true-${SHELL_TASKS}.yml`);
    writeFileSync(wf, `${lines.join('\n')}\n`);
    const psrMs = await medianWall(3, process.execPath, [bin, 'run', wf, '-j', '2']);
    const xargsMs = await medianWall(3, 'sh', ['-c', `seq ${SHELL_TASKS} | xargs -n1 -P2 true`]);
    const ratio = psrMs / xargsMs;
    row(
      `(b) ${SHELL_TASKS} \`true\` tasks, -j 2 vs xargs -P2`,
      `${fmtMs(psrMs)} (${((psrMs / SHELL_TASKS) * 1000).toFixed(0)} µs/task)`,
      `${fmtMs(xargsMs)} (${((xargsMs / SHELL_TASKS) * 1000).toFixed(0)} µs/task)`,
      `×${ratio.toFixed(2)}`,
      '<= ×1.5',
      ratio <= 1.5,
    );
  }

  // (c) cold start
  if (parts.has('c')) {
    const nodeMs = await medianWall(RUNS, process.execPath, ['-e', '0']);
    const versionMs = await medianWall(RUNS, process.execPath, [bin, '--version']);
    row('(c) psr --version, cold start', fmtMs(versionMs), `${fmtMs(nodeMs)} (node -e 0)`, `+${fmtMs(versionMs - nodeMs)}`, '<= 100 ms', versionMs <= 100);

    const lines = ['name: bench-200', 'inputs:', '  target: { type: string, default: staging, enum: [staging, prod] }', 'tasks:'];
    for (let i = 0; i < 200; i++) {
      const needs = i === 0 ? '' : `, needs: [t${Math.floor((i - 1) / 2)}]`;
      const extra = i % 10 === 0 ? `, if: "\${{ inputs.target == 'prod' || success() }}", retry: { attempts: 2, delay: 1s }, timeout: 5m` : '';
      lines.push(`  t${i}: { run: "echo task ${i} \${{ inputs.target }}"${needs}${extra} }`);
    }
    const wf = join(out, 'validate-200.yml');
    writeFileSync(wf, `${lines.join('\n')}\n`);
    const validateMs = await medianWall(RUNS, process.execPath, [bin, 'validate', wf]);
    row('(c) psr validate, 200-task workflow, cold', fmtMs(validateMs), `${fmtMs(nodeMs)} (node -e 0)`, `+${fmtMs(validateMs - nodeMs)}`, '<= 300 ms', validateMs <= 300);
  }
} catch (error) {
  // A failed measurement is reported plainly (no stack): usually psr or core is not built.
  console.error(`bench:engine failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const header = { name: 'benchmark', psr: 'psr', baseline: 'baseline (same run)', result: 'result', target: 'target', ok: '' };
const cols = ['name', 'psr', 'baseline', 'result', 'target'];
const width = Object.fromEntries(cols.map((c) => [c, Math.max(header[c].length, ...rows.map((r) => String(r[c]).length))]));
const fmtRow = (r, ok) => `${cols.map((c) => String(r[c]).padEnd(width[c])).join('  ')}  ${ok}`;
console.log(`psr engine benchmarks — node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${new Date().toISOString()}`);
console.log(`cold-start figures: median of ${RUNS} runs; (b): median of 3`);
console.log(fmtRow(header, ''));
for (const r of rows) console.log(fmtRow(r, r.ok ? 'ok' : 'MISSED'));
