// Count the vowels of a name. Flaky on purpose: the first attempt of each run fails (a marker
// file keyed by the run id remembers it), so the workflow shows a retry that then succeeds.
import { appendFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [name = '', runId = 'local'] = process.argv.slice(2);
const marker = join(tmpdir(), `psr-hello-${runId.replace(/[^A-Za-z0-9_-]/g, '_')}.attempted`);
if (!existsSync(marker)) {
  writeFileSync(marker, '');
  console.error('simulated network hiccup, failing this attempt');
  process.exit(75);
}
rmSync(marker, { force: true });
const vowels = [...name.toLowerCase()].filter((c) => 'aeiou'.includes(c)).length;
console.log(`node ${process.versions.node}: "${name}" has ${vowels} vowels`);
appendFileSync(process.env.PSR_OUTPUT, `vowels=${vowels}\n`);
