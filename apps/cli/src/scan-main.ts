/**
 * `psr scan …` on its own: the command line machinery with the scan command alone. The `psr`
 * bin (CommonJS) runs a scan through this module, bundled into it, so that a scan never starts
 * Node's ES module loader; every other command goes through `main`.
 */
import scan from './commands/scan.js';
import { runCommandLine } from './dispatch.js';
import { processIO } from './io.js';

/**
 * Run `psr scan <args>` (argv starts with `scan`) against the real process; returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await scanMain(['scan', 'requirements.txt', '--fail-on', 'high']);
 * ```
 */
export function scanMain(argv: string[]): Promise<number> {
  return runCommandLine(argv, processIO(), [{ name: scan.name, summary: scan.summary, load: async () => ({ default: scan }) }]);
}
