// Scheduler overhead per task: 10,000 in-process no-op tasks run by the engine, as a chain
// (each task needs the previous one) and as a fan-out (all independent, one root), beside
// baselines measured in the same process: a bare promise chain and Promise.all of the same
// number of async no-ops. Target: <= 10 µs/task of engine overhead (engine minus baseline).
//
//   node bench/engine/scheduler.mjs [count=10000] [repeats=3]
//
// Needs the built core (pnpm --filter @psr/core build). Tracing is off (the global no-op
// tracer), no observers, the engine's default concurrency (os.availableParallelism(), what a
// user gets without -j). A third line runs the fan-out with concurrency = count (all 9,999
// dependents in flight at once). The best of `repeats` rounds is reported, after one warm-up
// round; each round runs every measurement once (interleaved, see bestOf).
import { availableParallelism, loadavg } from 'node:os';
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

const cpu = new Map();
/**
 * Best wall time (ms) of each function over `REPEATS` interleaved rounds, after one warm-up
 * round; best CPU time goes to `cpu`. Interleaved so that every function is measured across
 * the same range of process states (JIT tier, heap size): measured one after the other, the
 * first one measured paid for the process's warm-up (the chain read up to twice its cost).
 */
async function bestOf(fns) {
  for (const fn of fns) await fn(); // warm-up
  const min = new Map();
  for (let r = 0; r < REPEATS; r++) {
    for (const fn of fns) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await fn();
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      min.set(fn, Math.min(min.get(fn) ?? Infinity, wall));
      cpu.set(fn, Math.min(cpu.get(fn) ?? Infinity, (c.user + c.system) / 1000));
    }
  }
  return fns.map((fn) => min.get(fn));
}

const noop = async () => undefined;
const baselineChainFn = async () => {
  let p = Promise.resolve();
  for (let i = 0; i < COUNT; i++) p = p.then(noop);
  await p;
};
const baselineFanFn = async () => {
  const all = [];
  for (let i = 0; i < COUNT; i++) all.push(noop());
  await Promise.all(all);
};

const chainWf = workflow('chain');
const fanWf = workflow('fan');
const chainFn = async () => {
  const r = await engine.run(chainWf, { env: {} });
  if (r.status !== 'success' || r.tasks.length !== COUNT) throw new Error(`chain run: ${r.status}`);
};
const fanFn = async () => {
  const r = await engine.run(fanWf, { env: {} });
  if (r.status !== 'success' || r.tasks.length !== COUNT) throw new Error(`fan-out run: ${r.status}`);
};
const wideFn = async () => {
  const r = await engine.run(fanWf, { concurrency: COUNT, env: {} });
  if (r.status !== 'success' || r.tasks.length !== COUNT) throw new Error(`unbounded fan-out run: ${r.status}`);
};
const [baselineChain, baselineFan, engineChain, engineFan, engineWide] = await bestOf([baselineChainFn, baselineFanFn, chainFn, fanFn, wideFn]);

const us = (ms) => (ms * 1000) / COUNT;
// Wall time is the figure; CPU time (user + system) is printed beside it because on a busy
// machine the wall time of a single-threaded run also counts the time other processes held the CPU.
const rows = [
  ['chain', baselineChain, engineChain, cpu.get(chainFn)],
  ['fan-out', baselineFan, engineFan, cpu.get(fanFn)],
  // Not the target figure: every task in flight at once (memory-bound, GC-heavy).
  ['unbounded fan-out', baselineFan, engineWide, cpu.get(wideFn)],
];
console.log(`scheduler overhead, ${COUNT} no-op tasks, best of ${REPEATS} (node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cpus)`);
console.log('shape             baseline µs/task   engine µs/task   overhead µs/task   target       engine cpu µs/task');
let ok = true;
for (const [shape, base, eng, engCpu] of rows) {
  const over = us(eng) - us(base);
  if (over > 10 && shape !== 'unbounded fan-out') ok = false;
  console.log(
    `${shape.padEnd(17)} ${us(base).toFixed(2).padStart(16)}   ${us(eng).toFixed(2).padStart(14)}   ${over.toFixed(2).padStart(16)}   <= 10 ${over <= 10 ? 'ok    ' : 'MISSED'}   ${us(engCpu).toFixed(2).padStart(8)}`,
  );
}
process.exitCode = ok ? 0 : 1;
