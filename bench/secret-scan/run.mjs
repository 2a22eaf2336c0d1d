// `pnpm bench:secret-scan`: throughput (MB/s) and peak RSS of psr's secret scan over a
// deterministic ~200 MB mixed tree, beside ripgrep running the same rule set (one combined
// pattern list, converted to ripgrep's regex syntax) over the same tree, in the same run.
//
// Options: --size MB (default 200), --runs N (default 3; medians are reported), --dir PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateTree } from './generate-tree.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const dist = join(root, 'packages/plugin-secret-scan/dist/index.js');
const { values } = parseArgs({ options: { size: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' }, dir: { type: 'string', default: join(tmpdir(), 'psr-bench-secret-scan') } } });

if (!existsSync(dist)) {
  console.error('missing packages/plugin-secret-scan/dist: run `pnpm --filter @psr/plugin-secret-scan build` first');
  process.exit(2);
}
if (spawnSync('rg', ['--version']).status !== 0) {
  if (process.getuid?.() === 0) {
    console.log('installing ripgrep (apt-get install -y ripgrep)…');
    let r = spawnSync('apt-get', ['install', '-y', 'ripgrep'], { stdio: 'ignore' });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'ignore' });
      r = spawnSync('apt-get', ['install', '-y', 'ripgrep'], { stdio: 'ignore' });
    }
  }
  if (spawnSync('rg', ['--version']).status !== 0) {
    console.error('ripgrep (rg) is needed for the baseline: apt-get install -y ripgrep');
    process.exit(2);
  }
}

/** Remove look-around groups, which ripgrep's default engine does not support. */
function stripLookaround(source) {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (source.startsWith('(?<!', i) || source.startsWith('(?<=', i) || source.startsWith('(?!', i) || source.startsWith('(?=', i)) {
      let depth = 0;
      let inClass = false;
      for (; i < source.length; i++) {
        const c = source[i];
        if (c === '\\') { i++; continue; }
        if (inClass) { if (c === ']') inClass = false; continue; }
        if (c === '[') inClass = true;
        else if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
      continue;
    }
    out += source[i];
  }
  // Named groups repeat across rules (one combined regex): make them plain groups. `\/` is
  // not an escape ripgrep 13 accepts.
  return out.replace(/\(\?<([A-Za-z]\w*)>/g, '(?:').replace(/\\\//g, '/');
}

const { builtinRules } = await import(dist);
const patterns = builtinRules.filter((r) => !r.multiline).map((r) => `(?-u${r.regex.flags.includes('i') ? 'i' : ''}:${stripLookaround(r.regex.source)})`);
patterns.push('-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----', 'PuTTY-User-Key-File-[23]:');
const work = join(tmpdir(), 'psr-bench-secret-scan-work');
mkdirSync(work, { recursive: true });
const patternFile = join(work, 'patterns.txt');
writeFileSync(patternFile, patterns.join('\n') + '\n');

const sizeMb = Number(values.size);
console.log(`generating ~${sizeMb} MB tree in ${values.dir} …`);
const tree = generateTree(values.dir, sizeMb * 1024 * 1024);
const mb = tree.bytes / 1024 / 1024;
console.log(`tree: ${mb.toFixed(1)} MB, ${tree.planted} planted secrets${tree.reused ? ' (reused)' : ''}`);

// ripgrep's regex engine degrades badly on this combined set (its lazy DFA thrashes: ~0.3 MB/s
// measured), so the full-pattern comparison runs on a ~20 MB subset of the tree; a second
// baseline greps only the rules' keyword literals over the whole tree (the raw cost of one
// case-insensitive pass, a lower bound for any rule-based scanner).
const subset = [];
{
  const { readdirSync, statSync } = await import('node:fs');
  const dirSize = (d) => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirSize(join(d, e.name)) : statSync(join(d, e.name)).size), 0);
  let size = 0;
  for (const name of readdirSync(values.dir).filter((n) => n.startsWith('pkg')).sort()) {
    if (size > 20 * 1024 * 1024) break;
    subset.push(join(values.dir, name));
    size += dirSize(join(values.dir, name));
  }
  var subsetMb = size / 1024 / 1024;
}
const keywordFile = join(work, 'keywords.txt');
writeFileSync(keywordFile, [...new Set(builtinRules.flatMap((r) => r.keywords))].join('\n') + '\n');

function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [secs, user, sys, rss] = last.split(' ').map(Number);
  return { seconds: secs, cpu: user + sys, rssKb: rss, stdout: r.stdout, status: r.status };
}
const rgCount = (out) => out.trim().split('\n').filter(Boolean).reduce((n, l) => n + Number(l.split(':').at(-1)), 0);

const runs = Number(values.runs);
const results = { psrFull: [], psrSubset: [], rgSubset: [], rgKeywords: [] };
let psrFindings = 0;
let rgSubsetMatches = 0;
let rgKeywordMatches = 0;
for (let i = 0; i < runs; i++) {
  const p = timed(process.execPath, [join(here, 'psr-scan.mjs'), values.dir]);
  if (p.status !== 0) throw new Error(`psr scan failed: ${p.stdout}`);
  psrFindings = JSON.parse(p.stdout.trim().split('\n').at(-1)).findings;
  results.psrFull.push(p);
  results.rgKeywords.push(timed('rg', ['--count-matches', '--no-messages', '-i', '-F', '-f', keywordFile, values.dir]));
  rgKeywordMatches = rgCount(results.rgKeywords.at(-1).stdout);
  results.psrSubset.push(timed(process.execPath, [join(here, 'psr-scan.mjs'), ...subset]));
  results.rgSubset.push(timed('rg', ['--count-matches', '--no-messages', '-f', patternFile, ...subset]));
  rgSubsetMatches = rgCount(results.rgSubset.at(-1).stdout);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = (k, f) => median(results[k].map(f));
const row = (name, size, k, extra) => {
  const s = m(k, (x) => x.seconds);
  console.log(`${name.padEnd(44)} ${size.toFixed(0).padStart(5)} MB ${(size / s).toFixed(1).padStart(8)} MB/s ${s.toFixed(2).padStart(8)} s wall ${m(k, (x) => x.cpu).toFixed(2).padStart(8)} s cpu ${(m(k, (x) => x.rssKb) / 1024).toFixed(0).padStart(6)} MB RSS  ${extra}`);
  return size / s;
};
console.log(`\nmachine: ${cpus().length} cores, Node ${process.version}, ripgrep ${spawnSync('rg', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}; ${runs} run(s), medians; ${builtinRules.length} rules, ${patterns.length} rg patterns`);
const psrFullRate = row('psr secret-scan, whole tree', mb, 'psrFull', `${psrFindings} findings (${tree.planted} planted)`);
const psrSubRate = row('psr secret-scan, subset', subsetMb, 'psrSubset', '');
const rgSubRate = row('ripgrep, all rule patterns, subset', subsetMb, 'rgSubset', `${rgSubsetMatches} raw matches`);
const rgKwRate = row('ripgrep -i -F rule keywords only, whole tree', mb, 'rgKeywords', `${rgKeywordMatches} keyword hits`);
console.log(`\npsr / ripgrep (same rule set, same files): ${((psrSubRate / rgSubRate) * 100).toFixed(0)}%  (target >= 50%)`);
console.log(`psr / ripgrep keyword-only pass:          ${((psrFullRate / rgKwRate) * 100).toFixed(0)}%  (a harder bar: no regexes at all)`);
