// bench/scan: cold (index build) and warm `psr scan` process wall time and peak RSS for a
// 200-pin and a 700-pin requirements file against the full PyPA advisory snapshot, next to
// baselines measured in the same run (`node -e 0`, and a naive scan that parses every YAML).
// Every pin of those files is at a vulnerable version (2,190 findings for 700 pins: the report is
// most of the work); a third file pins the same kind of packages at fixed versions, as a
// maintained project would (a few hundred findings), to show the scan itself. The 700-pin file is
// also scanned from psr's managed database (the data imported with `psr db import`), and
// compared with its own earlier report as a baseline (`--baseline`, as a pull request is gated).
// Run from the repo root after `pnpm build`: pnpm bench:scan
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePatchedRequirements, makeRequirements } from './make-requirements.mjs';

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

/**
 * Wall time of one run of the process spawned directly (stdout and stderr piped, as a CI job
 * captures them): `/usr/bin/time`, which gives the CPU time and peak RSS, is a process of its own
 * whose start would add ~6 ms to every wall figure.
 */
function wallOf(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** The advisory files under `dir` as one deflated zip (fflate, the osv package's test dependency). */
function zipOfFolder(dir) {
  const { zipSync } = createRequire(join(root, 'packages', 'osv', 'package.json'))('fflate');
  const files = {};
  const walk = (d, rel) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else if (/\.(json|ya?ml)$/.test(e.name)) files[`${rel}${e.name}`] = readFileSync(join(d, e.name));
    }
  };
  walk(dir, '');
  return zipSync(files);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (what, pins, ms) => ({ what, pins, wall: median(ms.map((m) => m.wall)), cpu: median(ms.map((m) => m.cpu)), rss: median(ms.map((m) => m.rss)) });
const work = mkdtempSync(join(tmpdir(), 'psr-bench-scan-'));
const rows = [];
let overNode;
let overNodeOf;
try {
  // Cold scans (each with an empty cache directory) and the naive baseline, per file.
  const cold = {};
  for (const pins of [200, 700]) {
    const reqs = join(work, `requirements-${pins}.txt`);
    writeFileSync(reqs, makeRequirements(data, pins));
    const naive = Array.from({ length: Math.min(RUNS, 3) }, () => measure(process.execPath, [join(root, 'bench/scan/naive-scan.mjs'), data, reqs], process.env));
    const colds = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const m = measure(process.execPath, [bin, 'scan', reqs, '--sources', data, '--fail-on', 'none', '--format', 'json', '--output', join(work, `scan-${pins}.json`)], { ...process.env, PSR_CACHE_DIR: join(work, `cache-${pins}-${i}`) });
      if (m.status !== 0) throw new Error(`psr scan exited ${m.status}: ${m.stderr ?? ''}`);
      colds.push(m);
    }
    cold[pins] = { reqs, naive, colds };
  }
  // The same data as one zip, the form of osv.dev's exports (what `psr db sync` downloads).
  const zip = join(work, 'pypa.zip');
  writeFileSync(zip, zipOfFolder(data));
  const zipColds = Array.from({ length: Math.min(RUNS, 3) }, (_, i) => {
    const m = measure(process.execPath, [bin, 'scan', cold[700].reqs, '--sources', zip, '--fail-on', 'none', '--format', 'json', '--output', join(work, 'scan-zip.json')], { ...process.env, PSR_CACHE_DIR: join(work, `cache-zip-${i}`) });
    if (m.status !== 0) throw new Error(`psr scan exited ${m.status}: ${m.stderr ?? ''}`);
    return m;
  });

  // Warm scans (the index and the code cache in place: one unmeasured run each first). Each
  // configuration runs in its own rounds, alternating with `node -e 0`, so the VM's speed, which
  // drifts by a third within minutes on these machines, weighs on psr and its baseline alike.
  // Wall times come from runs spawned directly; CPU time and RSS from runs under /usr/bin/time
  // made after those rounds: one of them right before a timed run had slowed it by ~6 ms (the
  // timed run then replaced a report written a moment before, still in the page cache).
  const warm = (pins, args, reqs = cold[pins].reqs) => ({ args: [bin, 'scan', reqs, '--sources', data, '--fail-on', 'none', ...args], env: { ...process.env, PSR_CACHE_DIR: join(work, `cache-${pins}-0`) } });
  const patched = join(work, 'requirements-700-fixed.txt');
  writeFileSync(patched, makePatchedRequirements(data, 700));
  // The same data imported into psr's managed database (`psr db import`), scanned with no --sources.
  const dbCache = join(work, 'cache-db');
  execFileSync(process.execPath, [bin, 'db', 'import', data], { env: { ...process.env, PSR_CACHE_DIR: dbCache }, stdio: 'ignore' });
  // Its index is compiled by this first scan (the code cache is written by the next one).
  execFileSync(process.execPath, [bin, 'scan', cold[700].reqs, '--fail-on', 'none', '--format', 'json', '--output', join(work, 'scan-700-db.json')], { env: { ...process.env, PSR_CACHE_DIR: dbCache }, stdio: 'ignore' });
  // A project folder as most are: the 700-pin file as requirements.txt, and a .gitignore.
  const folder = join(work, 'project-700');
  mkdirSync(folder);
  writeFileSync(join(folder, 'requirements.txt'), readFileSync(cold[700].reqs));
  writeFileSync(join(folder, '.gitignore'), 'node_modules/\n.venv/\n__pycache__/\n');
  // The 700-pin scan's own report (2,190 findings, 3.5 MB) as the baseline of the same scan, as
  // a pull request that changes no dependency is compared with its main branch's report.
  const baseline700 = join(work, 'baseline-700.json');
  writeFileSync(baseline700, readFileSync(join(work, 'scan-700.json')));
  const node = { args: ['-e', '0'], env: process.env };
  const series = {
    json200: warm(200, ['--format', 'json', '--output', join(work, 'scan-200.json')]),
    json700: warm(700, ['--format', 'json', '--output', join(work, 'scan-700.json')]),
    baseline700: warm(700, ['--format', 'json', '--output', join(work, 'scan-700-compared.json'), '--baseline', baseline700]),
    // The same scan writing over the report of the run before it, as repeated local runs do.
    replace700: { ...warm(700, ['--format', 'json', '--output', join(work, 'scan-700-replaced.json')]), replace: true },
    fixed700: warm(700, ['--format', 'json', '--output', join(work, 'scan-700-fixed.json')], patched),
    folder700: warm(700, ['--format', 'json', '--output', join(work, 'scan-700-folder.json')], folder),
    db700: { args: [bin, 'scan', cold[700].reqs, '--fail-on', 'none', '--format', 'json', '--output', join(work, 'scan-700-db.json')], env: { ...process.env, PSR_CACHE_DIR: dbCache } },
    table700: warm(700, []),
    sarif700: warm(700, ['--format', 'sarif', '--output', join(work, 'scan.sarif')]),
  };
  const usage = (s, what) => {
    const m = measure(process.execPath, s.args, s.env);
    if (m.status !== 0) throw new Error(`${what} exited ${m.status}: ${m.stderr ?? ''}`);
    return m;
  };
  const walls = { node: [] };
  const usages = { node: [] };
  overNodeOf = {};
  for (const [k, s] of Object.entries(series)) {
    usage(node, 'node -e 0');
    usage(s, k);
    walls[k] = [];
    const over = [];
    // A warm run writes its report where none exists, as a CI job in a fresh checkout does: the
    // previous run's is deleted first, untimed. Replacing a 3.5 MB report costs ext4 ~3–6 ms more
    // to free the old one (the replace700 series measures that case).
    const output = s.args.includes('--output') ? s.args[s.args.indexOf('--output') + 1] : undefined;
    for (let i = 0; i < RUNS; i++) {
      if (output && !s.replace) rmSync(output, { force: true });
      const n = wallOf(process.execPath, node.args, node.env);
      const m = wallOf(process.execPath, s.args, s.env);
      walls.node.push(n);
      walls[k].push(m);
      over.push(m - n);
    }
    overNodeOf[k] = median(over);
    usages[k] = Array.from({ length: Math.min(RUNS, 5) }, () => usage(s, k));
  }
  usages.node = Array.from({ length: Math.min(RUNS, 5) }, () => usage(node, 'node -e 0'));
  const runs = Object.fromEntries(Object.keys(walls).map((k) => [k, walls[k].map((wall, i) => ({ wall, cpu: usages[k][i % usages[k].length].cpu, rss: usages[k][i % usages[k].length].rss }))]));
  overNode = overNodeOf.json700;

  rows.push(row('baseline: node -e 0', '-', runs.node));
  for (const pins of [200, 700]) {
    rows.push(row('baseline: naive (parse every YAML each run)', pins, cold[pins].naive));
    rows.push(row('psr scan cold (index build)', pins, cold[pins].colds));
    if (pins === 700) rows.push(row('psr scan cold from the same data as a zip (osv.dev export form)', pins, zipColds));
    rows.push(row('psr scan warm (cached index)', pins, runs[`json${pins}`]));
    const report = JSON.parse(readFileSync(join(work, `scan-${pins}.json`), 'utf8'));
    rows.push({ what: `  (findings in the ${pins}-pin report: ${report.findings.length})`, pins, wall: NaN, cpu: NaN, rss: NaN });
  }
  rows.push(row('psr scan warm, compared with its own earlier report (`--baseline`)', 700, runs.baseline700));
  rows.push(row('psr scan warm, replacing the previous run\'s report', 700, runs.replace700));
  rows.push(row('psr scan warm, managed database (`psr db import`, no --sources)', 700, runs.db700));
  rows.push(row('psr scan warm, the project folder (with a .gitignore)', 700, runs.folder700));
  rows.push(row('psr scan warm, 700 pins at fixed versions', 700, runs.fixed700));
  const fixedReport = JSON.parse(readFileSync(join(work, 'scan-700-fixed.json'), 'utf8'));
  rows.push({ what: `  (findings in the fixed-versions report: ${fixedReport.findings.length})`, pins: 700, wall: NaN, cpu: NaN, rss: NaN });
  // The other outputs of the same warm 700-pin scan: the default table on stdout, and a SARIF file.
  rows.push(row('psr scan warm, table on stdout', 700, runs.table700));
  rows.push(row('psr scan warm, SARIF file', 700, runs.sarif700));
} finally {
  rmSync(work, { recursive: true, force: true });
}
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`bench/scan — node ${process.version}, ${cpus().length} cores, load ${load}, median of ${RUNS} (cold: 3); warm wall: direct spawn, CPU and RSS: ${hasTime ? '/usr/bin/time -v' : '/proc VmHWM'}`);
const cell = (x) => (Number.isNaN(x) ? '' : x.toFixed(0));
console.log('| what | pins | wall ms | CPU ms (user+sys) | peak RSS MB |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.pins} | ${cell(r.wall)} | ${cell(r.cpu)} | ${cell(r.rss)} |`);
console.log(`warm scan minus \`node -e 0\` in the same round (median): 700-pin JSON ${overNode.toFixed(0)} ms (${overNodeOf.replace700.toFixed(0)} replacing a report, ${overNodeOf.baseline700.toFixed(0)} compared with a baseline), 200-pin JSON ${overNodeOf.json200.toFixed(0)}, managed database ${overNodeOf.db700.toFixed(0)}, project folder ${overNodeOf.folder700.toFixed(0)}, 700 at fixed versions ${overNodeOf.fixed700.toFixed(0)}, table ${overNodeOf.table700.toFixed(0)}, SARIF ${overNodeOf.sarif700.toFixed(0)}`);
mkdirSync(join(root, 'bench', '.out'), { recursive: true });
writeFileSync(join(root, 'bench', '.out', 'scan.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, load, rows, warm700OverNodeMs: overNode }, null, 2));
