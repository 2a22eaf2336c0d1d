// Sums the vitest JSON reports every project wrote to <project>/.test-results/vitest.json
// and prints the one line CI reads: "N passed, M failed".
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

let passed = 0;
let failed = 0;
let suitesFailed = 0;
const missing = [];
const failures = [];
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
    for (const suite of report.testResults ?? []) {
      const where = join(group, name, relative(join(process.cwd(), group, name), suite.name ?? ''));
      const assertions = suite.assertionResults ?? [];
      if (suite.status === 'failed' && assertions.length === 0) {
        suitesFailed++;
        failures.push(`${where}: did not load: ${firstLine(suite.message)}`);
      }
      for (const a of assertions) if (a.status === 'failed') failures.push(`${where} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    }
  }
}
// The failing tests' names go last, beside the count, where a log's tail shows them.
for (const f of failures) console.error(`FAILED ${f}`);
for (const m of missing) console.error(`no test report from ${m} (its tests did not run)`);
failed += suitesFailed + missing.length;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

function firstLine(text) {
  return String(text ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 300) ?? '';
}
