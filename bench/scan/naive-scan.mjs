// Baseline for bench/scan: what a scanner without a compiled index does on every run —
// read and parse every advisory YAML, then check each pin's advisories (versions lists only).
// Usage: node naive-scan.mjs <pypa-advisory-db> <requirements.txt>
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(new URL('../../packages/osv/package.json', import.meta.url));
const yaml = require('js-yaml');
const [dataDir, reqs] = process.argv.slice(2);
const byName = new Map();
for (const pkg of readdirSync(join(dataDir, 'vulns'))) {
  for (const f of readdirSync(join(dataDir, 'vulns', pkg))) {
    const adv = yaml.load(readFileSync(join(dataDir, 'vulns', pkg, f), 'utf8'), { schema: yaml.FAILSAFE_SCHEMA });
    for (const a of adv.affected ?? []) {
      const n = String(a.package?.name ?? '').toLowerCase().replace(/[-_.]+/g, '-');
      byName.set(n, [...(byName.get(n) ?? []), { id: adv.id, versions: a.versions ?? [] }]);
    }
  }
}
let hits = 0;
for (const line of readFileSync(reqs, 'utf8').split('\n')) {
  const m = /^([\w.-]+)==(\S+)/.exec(line);
  if (!m) continue;
  for (const a of byName.get(m[1].toLowerCase().replace(/[-_.]+/g, '-')) ?? []) if (a.versions.includes(m[2])) hits++;
}
console.log(`${hits} hits`);
