import { scanSecrets } from '../../packages/plugin-secret-scan/dist/index.js';

// Child process of the benchmark: psr secret scans of one or more folders (files mode), printing JSON.
const started = performance.now();
let findings = 0;
let bytes = 0;
for (const root of process.argv.slice(2)) {
  const result = await scanSecrets({ root, mode: 'files' });
  findings += result.active.length;
  bytes += result.stats.bytesScanned;
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify({ seconds, findings, bytes, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
