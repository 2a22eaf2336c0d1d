#!/usr/bin/env node
import { processIO } from './io.js';
import { isVersionRequest, PSR_VERSION } from './version.js';

const argv = process.argv.slice(2);
// `psr --version` answers before the command line machinery (parser, help, errors) is loaded.
if (isVersionRequest(argv[0])) processIO().stdout.write(`${PSR_VERSION}\n`);
else process.exitCode = await (await import('./main.js')).main(argv);
