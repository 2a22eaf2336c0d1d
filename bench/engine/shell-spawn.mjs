// Spawn overhead of the built-in `run` task (psr:shell) against a bare Node spawn of `true`
// and `xargs -P2 true`, all running `true` processes at concurrency 2.
//
//   pnpm bench:shell-spawn            (builds @psr/plugin-shell first)
//   node bench/engine/shell-spawn.mjs [count=1000] [rounds=10]
//
// `run: true` is a plain command, started without a shell (pipes, process group and the
// $PSR_OUTPUT look-up on top of the bare spawn); with `shell: bash` it also pays for a bash
// start and the temporary script file. `run: true` is measured twice: with the plugin's native
// posix_spawn starter (dist/posix-spawn.node) and with child_process (PSR_SHELL_SPAWN=node, the
// fallback where the addon is not built); the figures say which one `run` used. The ways are measured in interleaved rounds; wall time
// is the best round of each (a burst of load on a shared machine then hits all of them alike),
// CPU time (this process plus its children, from /proc/self/stat) is the total over all rounds
// and is the steadier figure on a busy machine.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const COUNT = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 10);
const CONCURRENCY = 2;
const shell = (await import('../../packages/plugin-shell/dist/index.js')).default;
const { existsSync } = await import('node:fs');
const hasAddon = existsSync(new URL('../../packages/plugin-shell/dist/posix-spawn.node', import.meta.url));
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

/** Run `one` `count` times, `CONCURRENCY` at a time; ms per task. */
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

const ways = {
  xargs: async (count) => {
    const start = performance.now();
    const r = spawnSync('sh', ['-c', `seq ${count} | xargs -n1 -P${CONCURRENCY} true`], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('xargs baseline failed');
    return (performance.now() - start) / count;
  },
  bare: (count) =>
    pool(
      count,
      () =>
        new Promise((resolve, reject) => {
          const child = spawn('true', [], { stdio: 'ignore' });
          child.once('error', reject);
          child.once('exit', resolve);
        }),
    ),
  run: (count) => pool(count, () => shell.tasks.run.run(context(), { run: 'true' })),
  runNode: async (count) => {
    // Read by the plugin at every start: this way uses child_process even where the addon is built.
    process.env.PSR_SHELL_SPAWN = 'node';
    try {
      return await pool(count, () => shell.tasks.run.run(context(), { run: 'true' }));
    } finally {
      delete process.env.PSR_SHELL_SPAWN;
    }
  },
  bash: (count) => pool(count, () => shell.tasks.run.run(context(), { run: 'true', shell: 'bash' })),
};

/**
 * CPU used so far by this process and its reaped children (utime+stime+cutime+cstime of
 * /proc/self/stat, in ms). CPU time barely moves with the machine's load, wall time does.
 */
function cpuMs() {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
}

// Warm up (module loading, the scratch directory, programs in the page cache).
for (const way of Object.values(ways)) await way(20);

const perRound = Math.max(1, Math.round(COUNT / ROUNDS));
const best = {};
const cpu = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, way] of Object.entries(ways)) {
    const before = cpuMs();
    best[name] = Math.min(best[name] ?? Infinity, await way(perRound));
    cpu[name] = (cpu[name] ?? 0) + (cpuMs() - before) / (perRound * ROUNDS);
  }
}

const f = (ms, name) => `${(ms * 1000).toFixed(0).padStart(6)} µs/task wall, ${(cpu[name] * 1000).toFixed(0).padStart(5)} µs/task CPU`;
const x = (a, b) => `×${(a / b).toFixed(2)}`;
console.log(
  `shell-spawn: ${ROUNDS} rounds × ${perRound} × true at concurrency ${CONCURRENCY}, best round ` +
    `(node ${process.version}, ${cpus().length} cpus, load ${loadavg()[0].toFixed(1)})`,
);
console.log(`  xargs -P${CONCURRENCY} true               ${f(best.xargs, 'xargs')}  (baseline)`);
console.log(`  node spawn('true')            ${f(best.bare, 'bare')}  ${x(best.bare, best.xargs)} of xargs`);
const starter = hasAddon ? 'native posix_spawn' : 'child_process: addon not built';
console.log(`  run: true (direct, ${hasAddon ? 'native)    ' : 'no addon)  '} ${f(best.run, 'run')}  ${x(best.run, best.xargs)} of xargs, ${x(best.run, best.bare)} of bare spawn`);
console.log(`  run: true (child_process)     ${f(best.runNode, 'runNode')}  ${x(best.runNode, best.xargs)} of xargs, ${x(best.runNode, best.bare)} of bare spawn`);
console.log(`  run: true + shell: bash       ${f(best.bash, 'bash')}  ${x(best.bash, best.xargs)} of xargs, ${x(best.bash, best.bare)} of bare spawn`);
console.log(
  `  CPU (parent + children) per task: run direct (${starter}) ${x(cpu.run, cpu.xargs)} of xargs, ` +
    `with child_process ${x(cpu.runNode, cpu.xargs)}; with bash ${x(cpu.bash, cpu.xargs)} of xargs`,
);
