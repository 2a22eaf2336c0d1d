// Scheduler overhead per task: 10,000 in-process no-op tasks run by the engine, as a chain
// (each task needs the previous one) and as a fan-out (all independent, one root), beside
// baselines measured in the same process: a bare promise chain and Promise.all of the same
// number of async no-ops. Target: <= 10 µs/task of engine overhead (engine minus baseline).
//
//   node bench/engine/scheduler.mjs [count=10000] [repeats=3]
//
// Needs the built core (pnpm --filter @psr/core build). Tracing is off (the global no-op
// tracer), no observers, concurrency = count for the fan-out (the scheduler, not the limit,
// is measured). The best of `repeats` runs is reported, after one warm-up run.
import { performance } from 'node:perf_hooks';

const COUNT = Number(process.argv[2] ?? 10_000);
const REPEATS = Number(process.argv[3] ?? 3);
const core = await import('../../packages/core/dist/index.js');
const { createEngine, PluginRegistry, definePlugin, defineTask, z } = core;

const registry = new PluginRegistry();
registry.register(
  definePlugin({
    name: 'bench',
    apiVersion: 1,
    tasks: { noop: defineTask({ description: 'does nothing', input: z.object({}), run: async () => undefined }) },
  }),
  'bench',
);
const engine = createEngine({ registry });

const retry = { attempts: 1, backoff: 'fixed', delayMs: 0, maxDelayMs: 0, jitter: false };
function workflow(shape) {
  const tasks = [];
  for (let i = 0; i < COUNT; i++) {
    const needs = shape === 'chain' ? (i === 0 ? [] : [`t${i - 1}`]) : i === 0 ? [] : ['t0'];
    tasks.push({ id: `t${i}`, name: `t${i}`, uses: 'noop', with: {}, needs, env: {}, retry, continueOnError: false });
  }
  return { version: 1, name: `bench-${shape}`, file: '<inline>', dir: process.cwd(), hash: '0', schedule: [], plugins: [], inputs: {}, env: {}, failFast: false, tasks };
}

async function best(fn) {
  await fn(); // warm-up
  let min = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

const noop = async () => undefined;
const baselineChain = await best(async () => {
  let p = Promise.resolve();
  for (let i = 0; i < COUNT; i++) p = p.then(noop);
  await p;
});
const baselineFan = await best(async () => {
  const all = [];
  for (let i = 0; i < COUNT; i++) all.push(noop());
  await Promise.all(all);
});

const chainWf = workflow('chain');
const fanWf = workflow('fan');
const engineChain = await best(async () => {
  const r = await engine.run(chainWf, { concurrency: 1, env: {} });
  if (r.status !== 'success' || r.tasks.length !== COUNT) throw new Error(`chain run: ${r.status}`);
});
const engineFan = await best(async () => {
  const r = await engine.run(fanWf, { concurrency: COUNT, env: {} });
  if (r.status !== 'success' || r.tasks.length !== COUNT) throw new Error(`fan-out run: ${r.status}`);
});

const us = (ms) => (ms * 1000) / COUNT;
const rows = [
  ['chain', us(baselineChain), us(engineChain)],
  ['fan-out', us(baselineFan), us(engineFan)],
];
console.log(`scheduler overhead, ${COUNT} no-op tasks, best of ${REPEATS} (node ${process.version}, ${new Date().toISOString().slice(0, 10)})`);
console.log('shape     baseline µs/task   engine µs/task   overhead µs/task   target');
let ok = true;
for (const [shape, base, eng] of rows) {
  const over = eng - base;
  if (over > 10) ok = false;
  console.log(`${shape.padEnd(9)} ${base.toFixed(2).padStart(16)}   ${eng.toFixed(2).padStart(14)}   ${over.toFixed(2).padStart(16)}   <= 10 ${over <= 10 ? 'ok' : 'MISSED'}`);
}
process.exitCode = ok ? 0 : 1;
