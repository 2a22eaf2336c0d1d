#!/usr/bin/env node
import { processIO } from './io.js';
import { isVersionRequest, PSR_VERSION } from './version.js';

const argv = process.argv.slice(2);
// `psr --version` answers before the command line machinery (parser, help, errors) is loaded.
if (isVersionRequest(argv[0])) processIO().stdout.write(`${PSR_VERSION}\n`);
else {
  process.exitCode = await (await import('./main.js')).main(argv);
  // Every command has finished its work (and flushed its traces) when main returns: exit at once
  // rather than wait while V8 finishes background garbage collection and tears the heap down
  // page by page (~10 ms after a large scan). Output still queued for a slow pipe is let drain
  // by the normal exit instead.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}
