import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ErrorCodes, PsrError, shownDiagnostics } from '@psr/core/errors';
import type { Command, ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { formatDiagnostics } from '../render-error.js';
import { httpUrlOption } from '../url-option.js';
import { PSR_VERSION } from '../version.js';

/** `require` from this module's file: the CommonJS bin's path there, its URL as an ES module. */
const requireHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

/**
 * `@psr/plugin-scan/load-run-scan`, the scan's CommonJS loader. Looked up along Node's own module
 * search path (`require.resolve.paths`) at the file plugin-scan's build writes, rather than
 * through the package's exports map: to read an exports map, Node 20 first loads and compiles its
 * ES module resolver, ~4 ms of every scan. An install where the file is elsewhere still resolves
 * it through the exports map.
 */
function requireLoadRunScan(): typeof import('@psr/plugin-scan/load-run-scan') {
  for (const dir of requireHere.resolve.paths('@psr/plugin-scan') ?? []) {
    const file = join(dir, '@psr', 'plugin-scan', 'dist', 'load-run-scan.cjs');
    if (existsSync(file)) return requireHere(file) as typeof import('@psr/plugin-scan/load-run-scan');
  }
  return requireHere('@psr/plugin-scan/load-run-scan') as typeof import('@psr/plugin-scan/load-run-scan');
}

const FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'unknown', 'none'] as const;
const FAIL_ON_SCOPE = ['all', 'new'] as const;

/** The values of a repeatable option, each also comma-separated; an empty one is a usage error (`--sources ''`). */
function list(value: string | string[] | boolean | undefined, option: string): string[] {
  if (value === undefined || typeof value === 'boolean') return [];
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim());
  if (values.includes('')) throw new PsrError(ErrorCodes.USAGE, `--${option} was given an empty value`, { hint: `give --${option} a value, or leave it out` });
  return values;
}

function str(value: string | string[] | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Options of {@link createScanCommand}.
 *
 * @example
 * ```ts
 * const options: ScanCommandOptions = { v8Flags: ['--interrupt-budget=270336'] };
 * ```
 */
export interface ScanCommandOptions {
  /**
   * V8 flags for the scan's code, which its loader sets before compiling it (see
   * `LoadRunScanOptions.v8Flags`). Flags hold for the whole process: only `psr scan`'s own
   * process sets them, never a program that runs `main` in its own.
   */
  v8Flags?: readonly string[];
}

/**
 * The `scan` command.
 *
 * @example
 * ```ts
 * const scan = createScanCommand({ v8Flags: ['--semi-space-growth-factor=1'] });
 * ```
 */
export function createScanCommand(options: ScanCommandOptions = {}): Command {
  return { ...definition, run: (args, io) => runScanCommand(args, io, options) };
}

const definition: Omit<Command, 'run'> = {
  name: 'scan',
  summary: 'Find known vulnerabilities in dependencies (the scan task as a command)',
  usage:
    'psr scan [path] [--sources <dir|zip|db|osv>...] [--fail-on <level>] [--fail-on-scope all|new] [--format <f>...] [--output <file>...] [--ignore-file <file>] [--baseline <report.json>] [--omit <group>...] [--python-version <x.y>] [--platform <name>] [--osv-api-url <url>]',
  description:
    'Runs the `scan` task on a project folder or a requirements/lock file: every pinned dependency is matched against OSV ' +
    'advisories (a folder or zip of OSV records, the managed database from `psr db`, or the osv.dev API). Without --output the ' +
    'table (or the one --format given) is printed to stdout. The first scan of some advisory data compiles an index of it (about a second ' +
    'for the PyPA database, said on stderr); later scans reuse it. With --baseline (a JSON report of an earlier scan) every report marks which findings are new; ' +
    '--fail-on-scope new then exits 1 only for new findings at or above --fail-on (a partial scan is never compared and keeps its own exit status). ' +
    'Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error, ' +
    '3 an advisory source failed (the scan is incomplete, never reported clean).',
  positionals: [{ name: 'path', description: 'Project folder or dependency file (default: .)', required: false }],
  options: [
    { name: 'sources', short: 's', type: 'string', multiple: true, valueName: 'dir|zip|db|osv', description: 'Advisory data, also comma-separated; default: db' },
    { name: 'fail-on', type: 'string', valueName: 'level', choices: FAIL_ON, default: 'unknown', description: 'Exit 1 when a finding is at or above this severity (unknown, the lowest: every finding)' },
    {
      name: 'fail-on-scope',
      type: 'string',
      valueName: 'scope',
      choices: FAIL_ON_SCOPE,
      default: 'all',
      description: 'Which findings --fail-on counts: all, or new (those --baseline does not have; gate pull requests on what they add)',
    },
    { name: 'format', short: 'f', type: 'string', multiple: true, valueName: 'format', description: 'Report format(s): table, json, sarif, markdown (one per --output)' },
    { name: 'output', short: 'o', type: 'string', multiple: true, valueName: 'file', description: 'Write a report file (- for standard output); format from --format or the extension' },
    { name: 'ignore-file', type: 'string', valueName: 'file', description: 'YAML file of accepted vulnerabilities (id, reason, package, expires, owner)' },
    { name: 'baseline', type: 'string', valueName: 'report.json', description: 'Earlier JSON report: mark findings new or unchanged, count resolved ones' },
    {
      name: 'omit',
      type: 'string',
      multiple: true,
      valueName: 'group',
      description: 'Leave out a dependency group: dev, optional, optional:<extra>, group:<name> (also comma-separated); the report counts what was left out',
    },
    { name: 'python-version', type: 'string', valueName: 'x.y', description: 'Evaluate environment markers for this Python version' },
    { name: 'platform', type: 'string', valueName: 'name', description: 'Evaluate environment markers for this platform (linux, darwin, win32)' },
    { name: 'osv-api-url', type: 'string', valueName: 'url', description: 'osv.dev API base URL for --sources osv (default https://api.osv.dev)' },
  ],
  examples: [
    'psr scan',
    'psr scan requirements.txt --sources ../advisory-database --fail-on medium',
    'psr scan . --format sarif --output scan.sarif --format markdown --output scan.md',
    'psr scan --format json > scan.json',
    'psr scan --sources osv --ignore-file .psr-ignore.yml',
    'psr scan --baseline main-scan.json --fail-on-scope new --format markdown --output pr-comment.md',
    'psr scan --omit dev --fail-on high',
  ],
};

async function runScanCommand(args: ParsedArgs, io: CliIO, { v8Flags }: ScanCommandOptions): Promise<number> {
  const formats = list(args.options['format'], 'format');
  for (const f of formats)
    if (!(FORMATS as readonly string[]).includes(f)) {
      throw new PsrError(ErrorCodes.USAGE, `unknown --format "${f}"`, { hint: `use one of: ${FORMATS.join(', ')}` });
    }
  // The scan without the plugin (the task's input schema, zod, is not needed here), compiled
  // from a V8 code cache when it can be. Its loader is required (CommonJS), not imported: the
  // bin runs this command without starting Node's ES module loader.
  const { loadRunScan } = requireLoadRunScan();
  const runScan = await loadRunScan({ env: io.env, ...(v8Flags ? { v8Flags } : {}) });
  const sourceSpecs = list(args.options['sources'], 'sources');
  const outputs = list(args.options['output'], 'output');
  // No --output, or `--output -`: one format goes to standard output.
  const printsToStdout = outputs.length === 0 || outputs.includes('-');
  // Ctrl-C aborts queries to osv.dev (the scan then ends with an error, not a partial report).
  // A scan of local data is synchronous work that a handler could not interrupt, so the
  // signal's default action stops it; it also skips the ~3 ms AbortController costs at start-up.
  const ac = sourceSpecs.includes('osv') ? new AbortController() : undefined;
  const onSignal = (): void => ac?.abort();
  if (ac) {
    io.signals.on('SIGINT', onSignal);
    io.signals.on('SIGTERM', onSignal);
  }
  // The printed report goes to stdout chunk by chunk as it is rendered; it must end a line.
  let printedEnd = '\n';
  const print = (chunk: string): void => {
    io.stdout.write(chunk);
    printedEnd = chunk.slice(-1) || printedEnd;
  };
  try {
    const ignoreFile = str(args.options['ignore-file']);
    const baseline = str(args.options['baseline']);
    const pythonVersion = str(args.options['python-version']);
    const platform = str(args.options['platform']);
    const omit = list(args.options['omit'], 'omit');
    const failOn = str(args.options['fail-on']) ?? 'unknown';
    const failOnScope = (str(args.options['fail-on-scope']) ?? 'all') as (typeof FAIL_ON_SCOPE)[number];
    if (failOnScope === 'new' && !baseline)
      throw new PsrError(ErrorCodes.USAGE, '--fail-on-scope new counts only findings a baseline does not have, and no --baseline was given', {
        hint: 'add --baseline <report.json> (a `--format json` report of an earlier scan, e.g. of the main branch), or drop --fail-on-scope',
      });
    const osvApiUrlOption = str(args.options['osv-api-url']);
    // $PSR_OSV_API_URL gets the checks the option gets: a key in its query would be in every report.
    const osvApiUrlEnv = io.env['PSR_OSV_API_URL'];
    const osvApiUrl =
      osvApiUrlOption !== undefined
        ? httpUrlOption('osv-api-url', osvApiUrlOption)
        : osvApiUrlEnv && sourceSpecs.includes('osv')
          ? httpUrlOption('osv-api-url', osvApiUrlEnv, 'PSR_OSV_API_URL')
          : undefined;
    const scanning = runScan({
      path: args.positionals[0] ?? '.',
      cwd: io.cwd,
      sources: sourceSpecs,
      failOn: failOn as (typeof FAIL_ON)[number],
      failOnScope,
      formats: formats as (typeof FORMATS)[number][],
      outputs,
      ...(ignoreFile ? { ignoreFile } : {}),
      ...(baseline ? { baseline } : {}),
      ...(pythonVersion ? { pythonVersion } : {}),
      ...(platform ? { platform } : {}),
      ...(omit.length > 0 ? { omit } : {}),
      ...(osvApiUrl ? { osvApiUrl } : {}),
      env: io.env,
      ...(ac ? { signal: ac.signal } : {}),
      toolVersion: PSR_VERSION,
      // A table printed to a terminal is coloured and fits its width. Asked only when the scan
      // prints (no --output): opening a terminal's stream costs start-up.
      ...(printsToStdout && io.stdout.isTTY === true ? { color: io.env['NO_COLOR'] === undefined, ...(io.stdout.columns ? { width: io.stdout.columns } : {}) } : {}),
      // The first scan of some data takes ~1 s longer than the next ones: say why.
      onIndexBuild: (source) => io.stderr.write(`psr scan: compiling the advisory index of ${source} (first scan of this data; later scans reuse it)\n`),
      print,
    });
    // Ctrl-C during the queries to osv.dev ends the scan without a report: a partial one would
    // replace the last good report file and call every package it did not see unchecked.
    const result = await scanning.catch((err: unknown) => {
      if (ac?.signal.aborted) return undefined;
      throw err;
    });
    if (result === undefined) {
      io.stderr.write('psr scan: interrupted: no report written\n');
      return ExitCode.INTERRUPTED;
    }
    if (printedEnd !== '\n') io.stdout.write('\n');
    const { report } = result;
    // A printed table already lists warnings and errors; otherwise they go to stderr.
    const printedTable = printsToStdout && (formats.length === 0 || formats[Math.max(0, outputs.indexOf('-'))] === 'table');
    if (!printedTable && report.warnings.length > 0) {
      // The first few of each code: thousands of one warning would bury the rest.
      const { shown, omittedLine } = shownDiagnostics(report.warnings);
      io.stderr.write(`${await formatDiagnostics(shown, io.cwd)}\n`);
      const full = result.written.filter((path) => /\.(json|sarif)$/i.test(path));
      if (omittedLine) io.stderr.write(`${omittedLine} (${full.length > 0 ? `every one is in ${full.join(', ')}` : '`--format json` lists them all'})\n`);
    }
    // Errors also go to stderr when the table printed them, unless both streams are the same
    // terminal: with stdout redirected (`psr scan > report.txt`), stderr must still say why the
    // scan is incomplete.
    if (report.errors.length > 0 && !(printedTable && io.stdout.isTTY && io.stderr.isTTY)) io.stderr.write(`${await formatDiagnostics(report.errors, io.cwd)}\n`);
    for (const path of result.written) io.stderr.write(`wrote ${path}\n`);
    const b = report.baseline;
    if (b) io.stderr.write(`compared with baseline ${b.report}: ${b.new} new, ${b.unchanged} unchanged, ${b.resolved} resolved\n`);
    // With the reports in files, this is all a CI log shows: a production-only scan must say so.
    const omitted = report.run.omitted;
    if (omitted) io.stderr.write(`not scanned: ${omitted.dependencies} ${omitted.dependencies === 1 ? 'dependency' : 'dependencies'} in ${omitted.groups.join(', ')} (omit)\n`);
    const sources = (report.dataSources ?? []).map((d) => `${d.name} ${d.snapshot}`).join(', ');
    // With --fail-on-scope new, only new findings count (a partial scan, never compared, counts all).
    const counted = failOnScope === 'new' && b ? ' new' : '';
    io.stderr.write(
      `${report.summary.total} finding(s), ${report.summary.suppressed} suppressed, ${result.failing.length}${counted} ${failOn === 'unknown' ? 'failing (--fail-on unknown: every severity)' : `at or above ${failOn}`}; data: ${sources || 'none'}\n`,
    );
    if (result.status === 'source-failed') {
      io.stderr.write('psr scan: an advisory source failed: the scan is incomplete\n');
      return ExitCode.SOURCE_FAILED;
    }
    if (result.status === 'input-error') {
      io.stderr.write('psr scan: a dependency file could not be read whole: the scan is incomplete\n');
      return ExitCode.INVALID;
    }
    return result.status === 'findings' ? ExitCode.TASK_FAILED : ExitCode.SUCCESS;
  } finally {
    if (ac) {
      io.signals.off('SIGINT', onSignal);
      io.signals.off('SIGTERM', onSignal);
    }
  }
}

export default createScanCommand();
