/**
 * `psr scan …` on its own: the command line machinery with the scan command alone. The `psr`
 * bin (CommonJS) runs a scan through this module, bundled into it, so that a scan never starts
 * Node's ES module loader; every other command goes through `main`.
 */
import { createScanCommand } from './commands/scan.js';
import { runCommandLine } from './dispatch.js';
import { processIO } from './io.js';

/**
 * The V8 flags of a `psr scan` process. The scan's loader sets them just before it compiles the
 * scan's code, after the Node built-ins that code uses are loaded (a flag change set earlier
 * made Node compile those built-ins from source, ~5 ms: see `LoadRunScanOptions.v8Flags`).
 */
const SCAN_V8_FLAGS: readonly string[] = [
  // A scan is one short process whose findings and index text live until its report is written.
  // V8 doubles the young generation whenever many objects survive a collection, and each page of
  // the larger space costs a page fault when first touched (~11 µs on 2-core VMs): a 700-pin scan
  // took ~1,300 of them. A young generation kept at its starting size reuses its pages instead:
  // ~10 ms and ~6 MB less (BENCHMARKS.md). V8 reads this flag each time the space would grow, so
  // setting it before the scan allocates takes effect.
  '--semi-space-growth-factor=1',
  // A warm scan is over in ~100 ms, too soon for code that V8's optimising compiler (TurboFan)
  // makes to pay back its compiling: the compile jobs, and the memory they take and the page
  // faults that costs, made a 700-pin scan ~10–20 ms slower with a JSON report and ~50 with SARIF
  // (BENCHMARKS.md). So a function must run four times as much as by default (V8's interrupt
  // budget, 67,584 bytecode units) before V8 considers optimising it: a warm scan then optimises
  // a few functions instead of ~60, while work that runs long still gets TurboFan — an index build
  // (1.0 s; 1.7 s without TurboFan) or a lockfile of 30,000 packages (0.75 s; 1.1 s without).
  `--interrupt-budget=${4 * 67_584}`,
];

/**
 * Run `psr scan <args>` (argv starts with `scan`) against the real process; returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await scanMain(['scan', 'requirements.txt', '--fail-on', 'high']);
 * ```
 */
export function scanMain(argv: string[]): Promise<number> {
  // Only this process's own scan runs with the flags: they hold for the whole process.
  const scan = createScanCommand({ v8Flags: SCAN_V8_FLAGS });
  // Its output is written directly: Node's stream for a pipe costs ~3 ms to set up.
  return runCommandLine(argv, processIO({ direct: true }), [{ name: scan.name, summary: scan.summary, load: async () => ({ default: scan }) }]);
}
