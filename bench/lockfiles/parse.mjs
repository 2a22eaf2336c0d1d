// Parse speed of @psr/lockfiles on generated, real-shaped inputs, beside the floor of each format
// (reading the file and splitting lines / JSON.parse / js-yaml's load alone) measured in the same
// run, and for YAML the `yaml` library's parse (psr's YAML parser before js-yaml) as a peer.
// Run: pnpm bench:lockfiles   (builds @psr/lockfiles first)
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { parseLockfile } = await import(join(root, 'packages/lockfiles/dist/index.js'));
const jsYaml = (await import(join(root, 'packages/lockfiles/node_modules/js-yaml/dist/js-yaml.mjs'))).default;
const loadYaml = (t) => jsYaml.load(t, { schema: jsYaml.CORE_SCHEMA, json: true });
// The peer: @psr/core still parses workflows with it.
const { parse: parseYaml } = await import(join(root, 'packages/core/node_modules/yaml/dist/index.js'));

const dir = mkdtempSync(join(tmpdir(), 'psr-bench-lockfiles-'));
const hash = (i) => (i.toString(16).padStart(8, '0').repeat(8)).slice(0, 64);

function requirements(n) {
  const lines = ['#', '# pip-compile --generate-hashes requirements.in', '#'];
  for (let i = 0; i < n; i++) {
    lines.push(`package-${i}==${1 + (i % 9)}.${i % 31}.${i % 7} \\`, `    --hash=sha256:${hash(i)} \\`, `    --hash=sha256:${hash(i + 1e6)}`, i % 3 ? `    # via package-${i - 1}` : '    # via -r requirements.in');
  }
  return `${lines.join('\n')}\n`;
}

function packageLock(n) {
  const packages = { '': { name: 'app', version: '1.0.0', dependencies: {} } };
  for (let i = 0; i < n; i++) {
    const name = i % 10 === 0 ? `@scope/pkg-${i}` : `pkg-${i}`;
    if (i < 3) packages[''].dependencies[name] = '^1.0.0';
    // a tree about 7 levels deep, three children each, like real dependency graphs
    const deps = {};
    for (let k = 3 * i + 1; k <= 3 * i + 3 && k < n; k++) deps[k % 10 === 0 ? `@scope/pkg-${k}` : `pkg-${k}`] = '^1.0.0';
    packages[`node_modules/${name}`] = { version: `1.${i % 20}.${i % 5}`, resolved: `https://registry.npmjs.org/${name}/-/${name}-1.0.0.tgz`, integrity: `sha512-${hash(i)}==`, dependencies: deps, ...(i % 4 === 0 ? { dev: true } : {}) };
  }
  return JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2);
}

function pnpmLock(n) {
  const lines = ["lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    dependencies:'];
  for (let i = 0; i < 3; i++) lines.push(`      pkg-${i}:`, '        specifier: ^1.0.0', `        version: 1.${i % 20}.${i % 5}`);
  lines.push('', 'packages:', '');
  for (let i = 0; i < n; i++) lines.push(`  pkg-${i}@1.${i % 20}.${i % 5}:`, `    resolution: {integrity: sha512-${hash(i)}==}`, '');
  lines.push('snapshots:', '');
  for (let i = 0; i < n; i++) {
    lines.push(`  pkg-${i}@1.${i % 20}.${i % 5}:`);
    const children = [3 * i + 1, 3 * i + 2, 3 * i + 3].filter((k) => k < n);
    if (children.length > 0) lines.push('    dependencies:', ...children.map((k) => `      pkg-${k}: 1.${k % 20}.${k % 5}`));
    else lines[lines.length - 1] += ' {}';
    lines.push('');
  }
  return lines.join('\n');
}

const cases = [
  ['requirements.txt, 700 hashed pins', 'r700/requirements.txt', requirements(700), (t) => t.split('\n').length],
  ['package-lock.json v3, 3,000 packages', 'npm/package-lock.json', packageLock(3000), (t) => JSON.parse(t)],
  ['pnpm-lock.yaml v9, 2,000 packages', 'pnpm/pnpm-lock.yaml', pnpmLock(2000), loadYaml, parseYaml],
  ['pnpm-lock.yaml v9, 15,000 packages', 'pnpm15k/pnpm-lock.yaml', pnpmLock(15000), loadYaml, parseYaml],
  // Hostile shape: one line far longer than a read (requirements are read 1 MB at a time).
  ['requirements.txt, a 50 MB comment line between two pins', 'long/requirements.txt', `flask==3.0.0\n# ${'x'.repeat(50 * 1024 * 1024)}\nsix==1.16.0\n`, (t) => t.split('\n').length],
];

function best(fn, runs) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}
async function bestAsync(fn, runs) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

console.log(`node ${process.version}, ${cpus().length} cpus, load average ${loadavg()[0].toFixed(1)}; best of 7 after a warm-up\n`);
console.log('| input | size | floor (read + split/JSON/js-yaml) ms | parseLockfile ms | dependencies | peer: `yaml` parse ms |');
console.log('|---|---|---|---|---|---|');
try {
  for (const [label, rel, text, floor, peer] of cases) {
    const file = join(dir, rel);
    (await import('node:fs')).mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    await parseLockfile(file);
    const floorMs = best(() => floor(readFileSync(file, 'utf8')), 7);
    let deps = 0;
    const ms = await bestAsync(async () => {
      deps = (await parseLockfile(file)).dependencies.length;
    }, 7);
    const peerMs = peer ? best(() => peer(readFileSync(file, 'utf8')), 3).toFixed(1) : '';
    console.log(`| ${label} | ${(text.length / 1024).toFixed(0)} KB | ${floorMs.toFixed(1)} | ${ms.toFixed(1)} | ${deps} | ${peerMs} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
