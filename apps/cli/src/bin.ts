#!/usr/bin/env node
/**
 * The `psr` executable, built as CommonJS (`dist/bin.cjs`). `psr --version` answers here, before
 * the command line machinery (parser, help, errors) is loaded; `psr scan` runs from this file
 * (scan-main.ts is bundled into it), so a scan never starts Node's ES module loader (~15 ms);
 * every other command imports `main`, an ES module.
 */
import { hasQueuedOutput, processIO } from './io.js';
import { isVersionRequest, PSR_VERSION } from './version.js';

async function run(argv: string[]): Promise<void> {
  if (isVersionRequest(argv[0])) {
    processIO().stdout.write(`${PSR_VERSION}\n`);
    return;
  }
  // Every command has finished its work (and flushed its traces) when it returns: exit at once
  // rather than wait while V8 finishes background garbage collection and tears the heap down
  // page by page (~10 ms after a large scan). Output still queued for a slow pipe is let drain
  // by the normal exit instead.
  if (argv[0] === 'scan') {
    process.exitCode = await (await import('./scan-main.js')).scanMain(argv);
    // A scan writes only through its CliIO, which knows what is queued: asking process.stdout
    // would open it, ~3 ms for a scan that wrote files.
    if (!hasQueuedOutput()) process.exit();
    return;
  }
  process.exitCode = await (await import('./main.js')).main(argv);
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}

void run(process.argv.slice(2));
