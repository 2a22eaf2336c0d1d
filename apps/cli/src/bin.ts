#!/usr/bin/env node
import { processIO } from './io.js';
import { isVersionRequest, PSR_VERSION } from './version.js';

const argv = process.argv.slice(2);
// `psr scan` spends much of its start-up loading modules, and Node reads each module file as a
// separate round trip: loading the scan code alongside the command line machinery lets those
// reads overlap. The scan command imports the same module later and gets this one (or its
// error, reported there); this copy's rejection is left to it.
if (argv[0] === 'scan') import('@psr/plugin-scan/run-scan').catch(() => undefined);
// `psr --version` answers before the command line machinery (parser, help, errors) is loaded.
if (isVersionRequest(argv[0])) processIO().stdout.write(`${PSR_VERSION}\n`);
else process.exitCode = await (await import('./main.js')).main(argv);
