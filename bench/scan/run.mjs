// bench/scan: cold (index build) and warm `psr scan` process wall time and peak RSS for a
// 200-pin and a 700-pin requirements file against the full PyPA advisory snapshot, next to
// baselines measured in the same run (`node -e 0`, and a naive scan that parses every YAML).
// Run from the repo root after `pnpm build`: pnpm bench:scan
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRequirements } from './make-requirements.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const data = process.env.PSR_BENCH_DATA ?? join(root, '..', 'shared', 'data', 'pypa-advisory-db');
const bin = join(root, 'apps', 'cli', 'dist', 'bin.cjs');
if (!existsSync(join(data, 'vulns'))) throw new Error(`PyPA advisory data not found at ${data} (set PSR_BENCH_DATA)`);
if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first`);
const RUNS = Number(process.env.PSR_BENCH_RUNS ?? 5);
// NODE_EXTRA_CA_CERTS makes every Node process parse that CA bundle at start-up (+30–70 ms on
// the project machines, which set it for their proxy): a property of the machine, not of psr.
// Every process below (baselines included) runs without it.
delete process.env.NODE_EXTRA_CA_CERTS;
const hasTime = existsSync('/usr/bin/time');

/** Runs a command once; wall ms and peak RSS (MB) from GNU time, else from a /proc-polling wrapper. */
function measure(cmd, args, env) {
  if (hasTime) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
    // User + system CPU: steadier than wall time when other work shares the cores.
    const cpu = (Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN) + Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN)) * 1000;
    return { wall, rss, cpu, status: r.status, stderr: r.stderr };
  }
  const wrapper = `const {spawn}=require('child_process');const fs=require('fs');const t0=process.hrtime.bigint();let peak=0;
const c=spawn(process.argv[1],process.argv.slice(2),{stdio:'ignore'});const poll=()=>{try{const m=/VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/'+c.pid+'/status','utf8'));if(m)peak=Math.max(peak,+m[1]);}catch{}};
const iv=setInterval(poll,2);c.on('exit',(code)=>{clearInterval(iv);console.log(JSON.stringify({wall:Number(process.hrtime.bigint()-t0)/1e6,rss:peak/1024,status:code}));});`;
  return { cpu: NaN, ...JSON.parse(execFileSync(process.execPath, ['-e', wrapper, cmd, ...args], { env, encoding: 'utf8' })) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = mkdtempSync(join(tmpdir(), 'psr-bench-scan-'));
const rows = [];
try {
  const nodeBase = Array.from({ length: RUNS }, () => measure(process.execPath, ['-e', '0'], process.env));
  rows.push({ what: 'baseline: node -e 0', pins: '-', wall: median(nodeBase.map((m) => m.wall)), cpu: median(nodeBase.map((m) => m.cpu)), rss: median(nodeBase.map((m) => m.rss)) });
  for (const pins of [200, 700]) {
    const reqs = join(work, `requirements-${pins}.txt`);
    writeFileSync(reqs, makeRequirements(data, pins));
    const naive = Array.from({ length: Math.min(RUNS, 3) }, () => measure(process.execPath, [join(root, 'bench/scan/naive-scan.mjs'), data, reqs], process.env));
    rows.push({ what: 'baseline: naive (parse every YAML each run)', pins, wall: median(naive.map((m) => m.wall)), cpu: median(naive.map((m) => m.cpu)), rss: median(naive.map((m) => m.rss)) });
    const args = [bin, 'scan', reqs, '--sources', data, '--fail-on', 'none', '--format', 'json', '--output', join(work, `scan-${pins}.json`)];
    const colds = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const cache = join(work, `cache-${pins}-${i}`);
      const m = measure(process.execPath, args, { ...process.env, PSR_CACHE_DIR: cache });
      if (m.status !== 0) throw new Error(`psr scan exited ${m.status}: ${m.stderr ?? ''}`);
      colds.push(m);
    }
    rows.push({ what: 'psr scan cold (index build)', pins, wall: median(colds.map((m) => m.wall)), cpu: median(colds.map((m) => m.cpu)), rss: median(colds.map((m) => m.rss)) });
    const warms = Array.from({ length: RUNS }, () => measure(process.execPath, args, { ...process.env, PSR_CACHE_DIR: join(work, `cache-${pins}-0`) }));
    rows.push({ what: 'psr scan warm (cached index)', pins, wall: median(warms.map((m) => m.wall)), cpu: median(warms.map((m) => m.cpu)), rss: median(warms.map((m) => m.rss)) });
    const report = JSON.parse(readFileSync(join(work, `scan-${pins}.json`), 'utf8'));
    rows.push({ what: `  (findings in the ${pins}-pin report: ${report.findings.length})`, pins, wall: NaN, cpu: NaN, rss: NaN });
    if (pins === 700) {
      // The other outputs of the same warm scan: the default table on stdout, and a SARIF file.
      const warmEnv = { ...process.env, PSR_CACHE_DIR: join(work, `cache-${pins}-0`) };
      const table = Array.from({ length: RUNS }, () => measure(process.execPath, [bin, 'scan', reqs, '--sources', data, '--fail-on', 'none'], warmEnv));
      rows.push({ what: 'psr scan warm, table on stdout', pins, wall: median(table.map((m) => m.wall)), cpu: median(table.map((m) => m.cpu)), rss: median(table.map((m) => m.rss)) });
      const sarifArgs = [bin, 'scan', reqs, '--sources', data, '--fail-on', 'none', '--format', 'sarif', '--output', join(work, 'scan.sarif')];
      const sarif = Array.from({ length: RUNS }, () => measure(process.execPath, sarifArgs, warmEnv));
      rows.push({ what: 'psr scan warm, SARIF file', pins, wall: median(sarif.map((m) => m.wall)), cpu: median(sarif.map((m) => m.cpu)), rss: median(sarif.map((m) => m.rss)) });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`bench/scan — node ${process.version}, ${cpus().length} cores, load ${load}, median of ${RUNS} (cold: 3), ${hasTime ? '/usr/bin/time -v' : '/proc VmHWM'}`);
const cell = (x) => (Number.isNaN(x) ? '' : x.toFixed(0));
console.log('| what | pins | wall ms | CPU ms (user+sys) | peak RSS MB |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.pins} | ${cell(r.wall)} | ${cell(r.cpu)} | ${cell(r.rss)} |`);
mkdirSync(join(root, 'bench', '.out'), { recursive: true });
writeFileSync(join(root, 'bench', '.out', 'scan.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, load, rows }, null, 2));
