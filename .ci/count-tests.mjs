// Sums the vitest JSON reports every project wrote to <project>/.test-results/vitest.json
// and prints the one line CI reads: "N passed, M failed".
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let suitesFailed = 0;
const missing = [];
for (const group of ['packages', 'apps', 'examples']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const pkg = join(group, name, 'package.json');
    if (!existsSync(pkg)) continue;
    const scripts = JSON.parse(readFileSync(pkg, 'utf8')).scripts ?? {};
    if (!scripts.test) continue;
    const file = join(group, name, '.test-results', 'vitest.json');
    if (!existsSync(file)) {
      missing.push(join(group, name));
      continue;
    }
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    // A file that fails to load has no tests counted but must still fail the run.
    suitesFailed += (report.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
  }
}
for (const m of missing) console.error(`no test report from ${m} (its tests did not run)`);
failed += suitesFailed + missing.length;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
