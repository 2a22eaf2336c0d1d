// Spawn overhead of the built-in `run` task (psr:shell) against a bare Node spawn of `true`
// and `xargs -P2 true`, all running the same number of `true` processes at concurrency 2.
//
//   node bench/engine/shell-spawn.mjs [count=500]
//
// Needs the built plugin (pnpm --filter @psr/plugin-shell build). Prints µs per task for each
// way and the ratios. `run: true` is a plain command, started without a shell (pipes, process
// group, $PSR_OUTPUT look-up on top of the bare spawn); with `shell: bash` it also pays for a
// bash start and the temporary script file.
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

const COUNT = Number(process.argv[2] ?? 500);
const CONCURRENCY = 2;
const shell = (await import('../../packages/plugin-shell/dist/index.js')).default;
const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));

function context() {
  const noop = () => {};
  const never = new AbortController().signal;
  return {
    signal: never,
    killSignal: never,
    log: { info: noop, warn: noop, error: noop, debug: noop, stdout: noop, stderr: noop },
    workdir: process.cwd(),
    attempt: 1,
    secrets: {},
    env,
    run: { id: 'bench', workflow: 'bench', startedAt: new Date().toISOString() },
    task: { id: 't', instanceId: 't' },
    span: undefined,
    tracer: undefined,
    mask: (s) => s,
    setMetrics: noop,
  };
}

async function pool(count, one) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await one();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (performance.now() - start) / count;
}

const bareSpawn = () =>
  new Promise((resolve, reject) => {
    const child = spawn('true', [], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
const runTask = () => shell.tasks.run.run(context(), { run: 'true' });
const runTaskBash = () => shell.tasks.run.run(context(), { run: 'true', shell: 'bash' });
const xargs = () => {
  const start = performance.now();
  const r = spawnSync('sh', ['-c', `seq ${COUNT} | xargs -n1 -P${CONCURRENCY} true`], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('xargs baseline failed');
  return (performance.now() - start) / COUNT;
};

// Warm up (module loading, the scratch directory, bash in the page cache).
await pool(20, bareSpawn);
await pool(20, runTask);
await pool(20, runTaskBash);

const results = {
  xargs: xargs(),
  bare: await pool(COUNT, bareSpawn),
  run: await pool(COUNT, runTask),
  bash: await pool(COUNT, runTaskBash),
};
const f = (ms) => `${(ms * 1000).toFixed(0).padStart(6)} µs/task`;
console.log(`shell-spawn: ${COUNT} × true at concurrency ${CONCURRENCY} (node ${process.version}, ${cpus().length} cpus)`);
console.log(`  xargs -P${CONCURRENCY} true                ${f(results.xargs)}  (baseline)`);
console.log(`  node spawn('true')             ${f(results.bare)}  ×${(results.bare / results.xargs).toFixed(2)} of xargs`);
console.log(`  run: true (direct, no shell) ${f(results.run)}  ×${(results.run / results.xargs).toFixed(2)} of xargs, ×${(results.run / results.bare).toFixed(2)} of bare spawn`);
console.log(`  run: true + shell: bash      ${f(results.bash)}  ×${(results.bash / results.xargs).toFixed(2)} of xargs, ×${(results.bash / results.bare).toFixed(2)} of bare spawn`);
console.log(`  run task overhead over a bare spawn: ${((results.run - results.bare) * 1000).toFixed(0)} µs/task direct, ${((results.bash - results.bare) * 1000).toFixed(0)} µs/task with bash`);
