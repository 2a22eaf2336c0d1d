/**
 * One scan, shared by the `scan` task and `psr scan`: discover and parse dependency files,
 * open the advisory data, match every pinned package, apply the ignore file, build the report,
 * compare with a baseline and write the requested formats.
 */
import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { TaskOutputs } from '@psr/core';
import { isPsrError, PsrError, type Diagnostic } from '@psr/core/errors';
import { LockfileCodes, markerTargetProblem, scanProject, type Dependency } from '@psr/lockfiles';
import { OSV_INDEX_DAMAGED, OsvIndex, resolveCacheDir, staleDownloadDays, type Ecosystem, type OsvQuery, type VulnerabilityGroup } from '@psr/osv';
import {
  applyBaseline,
  createReport,
  failingFindings,
  isoTimestamp,
  readReport,
  renderReport,
  renderReportChunks,
  writeReports,
  REPORT_FORMATS,
  type DataSource,
  type FailOn,
  type FailOnScope,
  type Finding,
  type Report,
  type ReportComparison,
  type ReportFormat,
  type ReportTarget,
} from '@psr/report';
import { openSources } from './data-sources.js';
import { readIgnoreFile, type IgnoreRule } from './ignore-file.js';
import { isOmitted, OMIT_HINT, omitProblem } from './omit-groups.js';
import { ScanErrorCodes, ScanWarningCodes } from './scan-errors.js';
import { VulnerabilityFinding } from './vulnerability-finding.js';

/** The plugin's own version, read only when the caller gives none (`psr scan` passes psr's). */
function pluginVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/** Everything a scan needs; the task's `with:` and `psr scan`'s flags both map onto it. */
export interface ScanOptions {
  /** File or folder to scan, relative to `cwd`. */
  path: string;
  cwd: string;
  /** Folder or zip paths, `db`, `osv`. Empty: the managed database. */
  sources: readonly string[];
  failOn: FailOn;
  /**
   * Which findings `failOn` counts: `all` (the default), or `new`: only those the baseline does
   * not have (needs `baseline`). A partial scan is not compared, so it counts every finding, and
   * its status says it is partial whatever it counts.
   */
  failOnScope?: FailOnScope;
  formats: readonly ReportFormat[];
  outputs: readonly string[];
  ignoreFile?: string;
  baseline?: string;
  pythonVersion?: string;
  platform?: string;
  /**
   * Dependency groups to leave out (`dev`, `optional`, `optional:<extra>`, `group:<name>`; see
   * omit-groups.ts): not matched, counted in the report's `run.omitted`.
   */
  omit?: readonly string[];
  osvApiUrl?: string;
  cacheDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** psr's version for the report (defaults to the plugin's). */
  toolVersion?: string;
  /** Colour the table (CLI on a TTY). */
  color?: boolean;
  /** List the errors and warnings under the printed table (default true; the task logs each at its level instead). */
  tableDiagnostics?: boolean;
  /** Fit the printed table into this many columns (two lines a finding when narrow, long cells cut with `…`; CLI on a TTY). */
  width?: number;
  /**
   * Where the printed report goes when no output file is given (the table, or the one format
   * asked for): called with its text in chunks of about 64 KB as they are rendered, so a report
   * of thousands of findings is never held whole (`psr scan` writes them to stdout). Without
   * it, the text is returned as {@link ScanResult.table}.
   */
  print?: (chunk: string) => void;
  /**
   * Called just before an advisory index is compiled for a source (named as in reports): the
   * first scan of that data, ~1 s for the PyPA database, where a scan from the cached index
   * takes ~0.1 s (`psr scan` and the task say so).
   */
  onIndexBuild?: (source: string) => void;
  /**
   * Applied to the report's text that comes from the inputs (source names, paths, messages)
   * before anything is written: the task passes its secret masker, so a secret in a source
   * path or in `osv-api-url` is `***` in the SARIF and Markdown as it is in the log.
   */
  redact?: (text: string) => string;
}

/** What a scan found and what it wrote. */
export interface ScanResult {
  report: Report;
  /** `clean`, `findings` (some at or above fail-on), `source-failed`, `input-error`. */
  status: 'clean' | 'findings' | 'source-failed' | 'input-error';
  failing: Finding[];
  /** Report files written. */
  written: string[];
  /** The rendered report (the table, or the one format asked for) when no output file was given and no `print` either. */
  table?: string;
  comparison?: ReportComparison;
  outputs: TaskOutputs;
}

/** The format an output path's extension names; a table for `.txt`, `.log` or none; else an error. */
function formatFromPath(path: string): ReportFormat {
  const p = path.toLowerCase();
  if (p.endsWith('.sarif') || p.endsWith('.sarif.json')) return 'sarif';
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.md') || p.endsWith('.markdown')) return 'markdown';
  const ext = extname(p);
  if (ext === '' || ext === '.txt' || ext === '.log') return 'table';
  // `scan.html` would get a plain-text table under a name that promises something else.
  throw new PsrError(ScanErrorCodes.OUTPUT, `cannot tell a report format from the name ${path}`, {
    // Shown by `psr scan` and for a workflow's `output:`: the hint names both spellings.
    hint: `name its format (--format json --output ${path}; in a workflow, format: json beside output: ${path}), or end the name in .json, .sarif, .md or .txt`,
  });
}

/**
 * Pair formats with output paths: equal counts pair in order; outputs alone take their format
 * from the extension; no outputs mean "print": the table, or the one format asked for. An
 * output of `-` prints its format instead of writing a file (one at most).
 *
 * @example
 * ```ts
 * planOutputs(['sarif', 'markdown'], ['scan.sarif', 'scan.md']);
 * planOutputs(['json', 'sarif'], ['-', 'scan.sarif']); // JSON to stdout, SARIF to a file
 * ```
 */
export function planOutputs(formats: readonly string[], outputs: readonly string[]): { targets: ReportTarget[]; print: ReportFormat | undefined } {
  for (const f of formats)
    if (!(REPORT_FORMATS as readonly string[]).includes(f))
      throw new PsrError(ScanErrorCodes.OUTPUT, `unknown report format "${f}"`, { hint: `use one of: ${REPORT_FORMATS.join(', ')}` });
  if (outputs.length === 0) {
    if (formats.length > 1)
      throw new PsrError(ScanErrorCodes.OUTPUT, `formats ${formats.join(', ')} need output files`, {
        hint: 'give one output path per format (`output: [scan.sarif, scan.md]`); only one format can be printed',
      });
    return { targets: [], print: (formats[0] as ReportFormat | undefined) ?? 'table' };
  }
  const stdoutCount = outputs.filter((o) => o === '-').length;
  if (stdoutCount > 1)
    throw new PsrError(ScanErrorCodes.OUTPUT, `${stdoutCount} outputs are "-" (standard output)`, { hint: 'only one format can be printed; write the others to files' });
  if (formats.length === 0) {
    if (stdoutCount > 0)
      throw new PsrError(ScanErrorCodes.OUTPUT, 'output "-" (standard output) needs a format', { hint: 'give the format of each output in order, e.g. --format json --output -' });
    return { targets: outputs.map((path) => ({ path, format: formatFromPath(path) })), print: undefined };
  }
  if (formats.length !== outputs.length)
    throw new PsrError(ScanErrorCodes.OUTPUT, `${formats.length} format(s) but ${outputs.length} output path(s)`, {
      hint: 'give one output path per format, in the same order (or only outputs: the format follows the extension)',
    });
  const targets: ReportTarget[] = [];
  let print: ReportFormat | undefined;
  for (const [i, format] of formats.entries()) {
    if (outputs[i] === '-') print = format as ReportFormat;
    else targets.push({ format: format as ReportFormat, path: outputs[i]! });
  }
  return { targets, print };
}

/** True when `path` (absolute) is `folder` or inside it. */
function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** What matching gave: the findings, and the dependencies whose version could not be ordered. */
interface MatchedPackages {
  findings: Finding[];
  unorderable: Set<Dependency>;
}

/**
 * Match each package (its dependencies grouped by name and version) against `index`, which it
 * closes: the index files stay open until every package has been looked up.
 */
function matchPackages(index: OsvIndex, packages: readonly Dependency[][], where: (file: string) => string, redactSources?: (group: VulnerabilityGroup) => VulnerabilityGroup): MatchedPackages {
  const findings: Finding[] = [];
  const unorderable = new Set<Dependency>();
  try {
    for (let p = 0; p < packages.length; p++) {
      const list = packages[p]!;
      const d = list[0]!;
      const eco = d.ecosystem as Ecosystem;
      const m = index.match(eco, d.name, d.version!);
      if (m.unorderable) unorderable.add(d);
      if (m.groups.length === 0) continue;
      // One list of locations, shared by every finding of this package.
      const locations = list.map((x) => ({ file: where(x.location.file), line: x.location.line, col: x.location.col }));
      for (const g of m.groups) findings.push(new VulnerabilityFinding(d, eco, redactSources ? redactSources(g) : g, m.suggestedUpgrade, locations));
    }
  } finally {
    index.close();
  }
  return { findings, unorderable };
}

// Code-unit order, like the index files' (never locale order).
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function today(): string {
  return isoTimestamp(Date.now()).slice(0, 10);
}

/**
 * Run one scan. Throws a `PsrError` for input mistakes (bad path, ignore file, output plan,
 * baseline); source failures and unreadable dependency files are reported in the result's
 * `report.errors` and `status`, never as a clean scan.
 *
 * @example
 * ```ts
 * const r = await runScan({ path: '.', cwd: process.cwd(), sources: ['advisories/'], failOn: 'high', formats: [], outputs: [] });
 * console.log(r.table); process.exitCode = r.status === 'clean' ? 0 : 1;
 * ```
 */
export async function runScan(options: ScanOptions): Promise<ScanResult> {
  const startedAt = Date.now();
  const cwd = resolve(options.cwd);
  const target = resolve(cwd, options.path);
  if (!existsSync(target))
    throw new PsrError(ScanErrorCodes.PATH, `${options.path} does not exist`, { hint: 'pass a project folder or a requirements/lock file' });
  const targetProblem = markerTargetProblem({ ...(options.pythonVersion !== undefined ? { pythonVersion: options.pythonVersion } : {}), ...(options.platform !== undefined ? { platform: options.platform } : {}) });
  if (targetProblem) throw new PsrError(ScanErrorCodes.TARGET, targetProblem, { hint: 'a typo here would quietly leave dependencies out; e.g. --python-version 3.12 --platform linux (python-version: "3.12", platform: linux in a workflow)' });
  const omit = [...new Set(options.omit ?? [])];
  const omitWrong = omitProblem(omit);
  if (omitWrong) throw new PsrError(ScanErrorCodes.OMIT, omitWrong, { hint: OMIT_HINT });
  const plan = planOutputs(options.formats, options.outputs);
  if (options.failOnScope === 'new' && !options.baseline)
    throw new PsrError(ScanErrorCodes.BASELINE, 'fail-on-scope new counts only findings a baseline does not have, and no baseline was given', {
      hint: 'give `baseline: <report.json>` (a JSON report of an earlier scan, e.g. of the main branch), or use fail-on-scope all',
    });
  const rules = options.ignoreFile ? await readIgnoreFile(resolve(cwd, options.ignoreFile)) : [];
  let baseline: Report | undefined;
  if (options.baseline) {
    try {
      baseline = await readReport(resolve(cwd, options.baseline));
    } catch (err) {
      if (isPsrError(err))
        throw new PsrError(ScanErrorCodes.BASELINE, `baseline: ${err.message}`, {
          hint: err.hint ?? 'a baseline is a JSON report from an earlier scan',
          ...(err.location ? { location: err.location } : {}),
          cause: err,
        });
      throw err;
    }
    // Another plugin's findings share no fingerprint with a scan's: every finding would be new.
    if (baseline.tool.plugin !== 'psr:scan')
      throw new PsrError(ScanErrorCodes.BASELINE, `baseline: ${options.baseline} is a report of ${baseline.tool.plugin}, not of psr:scan`, {
        hint: 'compare with a JSON report of an earlier scan (`psr scan --format json --output scan.json`)',
        location: { file: options.baseline, line: 1, col: 1 },
      });
  }
  const cacheDir = options.cacheDir ?? resolveCacheDir(options.env ?? process.env);
  const warnings: Diagnostic[] = [];
  const errors: Diagnostic[] = [];

  // 1. Dependencies.
  const project = await scanProject(target, {
    ...(options.env ? { env: options.env } : {}),
    ...(options.pythonVersion || options.platform
      ? { target: { ...(options.pythonVersion ? { pythonVersion: options.pythonVersion } : {}), ...(options.platform ? { platform: options.platform } : {}) } }
      : {}),
  });
  const targetIsFolder = statSync(target).isDirectory();
  const scanBase = targetIsFolder ? target : dirname(target);
  // Files are named relative to the git repository holding the target (what SARIF's %SRCROOT%
  // and code-scanning services expect, whatever folder the scan ran from), else to the current
  // folder, else to the scanned folder; a file outside all of them keeps its absolute path.
  // Every finding of a file names the same location: the path is worked out once per file.
  const whereByFile = new Map<string, string>();
  const where = (file: string): string => {
    let shown = whereByFile.get(file);
    if (shown === undefined) {
      const abs = resolve(cwd, file);
      const base = [project.repository, cwd, scanBase].find((b) => b !== undefined && isInside(b, abs));
      shown = toPosix(base === undefined ? abs : relative(base, abs));
      whereByFile.set(file, shown);
    }
    return shown;
  };

  // Diagnostics of the dependency files name them as findings do.
  const located = (d: Diagnostic): Diagnostic => (d.location ? { ...d, location: { ...d.location, file: where(d.location.file) } } : d);
  warnings.push(...project.warnings.map(located));
  const deps: Dependency[] = [];
  let inputFailed = false;
  for (const r of project.results) {
    warnings.push(...r.warnings.map(located));
    if (r.errors.length > 0) {
      inputFailed = true;
      errors.push(...r.errors.map(located));
    }
    deps.push(...r.dependencies);
  }
  // A file named alone that cannot be read as a manifest (binary, an unknown format) is an input
  // error: exit 2, never a clean scan of nothing. A folder without one only warns.
  if (!targetIsFolder && deps.length === 0) {
    const unreadable = [...project.warnings, ...project.results.flatMap((r) => r.warnings)].find((w) => w.code === LockfileCodes.BINARY || w.code === LockfileCodes.UNSUPPORTED);
    if (unreadable) {
      throw new PsrError(ScanErrorCodes.PATH, unreadable.message, {
        hint: unreadable.hint ?? 'pass a project folder or a requirements/lock file',
        ...(unreadable.location ? { location: located(unreadable).location } : {}),
      });
    }
  }
  if (project.results.length === 0)
    warnings.push({ code: ScanErrorCodes.PATH, message: `no supported dependency file found under ${options.path}`, hint: 'psr reads requirements*.txt, poetry.lock, uv.lock, Pipfile.lock, pdm.lock, pylock.toml, pyproject.toml, package-lock.json, pnpm-lock.yaml, yarn.lock' });
  const matchable: Dependency[] = [];
  const unpinnedByFile = new Map<string, { names: string[]; line: number; col: number }>();
  let omittedCount = 0;
  for (const d of deps) {
    if (omit.length > 0 && isOmitted(d.group, omit)) omittedCount++;
    else if (d.unresolvable) {
      warnings.push({
        code: ScanWarningCodes.UNRESOLVABLE,
        message: `${d.name} is installed from ${d.unresolvable.reason} (${d.unresolvable.spec}): no registry version, not matched`,
        location: { ...d.location, file: where(d.location.file) },
      });
    } else if (!d.pinned || d.version === undefined) {
      const f = where(d.location.file);
      const entry = unpinnedByFile.get(f) ?? { names: [], line: d.location.line, col: d.location.col };
      entry.names.push(d.name);
      unpinnedByFile.set(f, entry);
    } else matchable.push(d);
  }
  for (const [file, { names, line, col }] of unpinnedByFile)
    warnings.push({
      code: ScanWarningCodes.UNPINNED,
      message: `${names.length} requirement(s) in ${file} are not pinned and were not scanned: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`,
      hint: 'pin exact versions (==) or scan the lock file; psr never guesses a version',
      location: { file, line, col },
    });

  // 2. Data.
  const byPackage = new Map<string, Dependency[]>();
  for (const d of matchable) {
    const key = `${d.ecosystem}\u0000${d.name}\u0000${d.version}`;
    const list = byPackage.get(key);
    if (list) list.push(d);
    else byPackage.set(key, [d]);
  }
  const queries: OsvQuery[] = [...byPackage.values()].map((list) => ({ ecosystem: list[0]!.ecosystem as Ecosystem, name: list[0]!.name, version: list[0]!.version! }));
  const open = (): ReturnType<typeof openSources> =>
    openSources(options.sources, {
      cwd,
      cacheDir,
      queries,
      ...(options.osvApiUrl ? { osvApiUrl: options.osvApiUrl } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onIndexBuild ? { onIndexBuild: options.onIndexBuild } : {}),
    });
  let opened = await open();

  // 3. Matching, in name order, which is the index files' order: their reads then serve many
  // packages at once. Findings are sorted by the report; warnings keep the dependency files' order.
  const packages = [...byPackage.values()].sort((a, b) => compareNames(a[0]!.name, b[0]!.name));
  // A source named after a secret (`advisories-${{ secrets.X }}`): its findings name it masked.
  const redact = options.redact;
  const redactSources =
    redact && opened.loaded.some((l) => redact(l.snapshot.name) !== l.snapshot.name)
      ? (g: VulnerabilityGroup): VulnerabilityGroup => ({ ...g, sources: g.sources.map(redact) })
      : undefined;
  let index = new OsvIndex(opened.loaded);
  let matched: MatchedPackages;
  try {
    matched = matchPackages(index, packages, where, redactSources);
  } catch (err) {
    if (!isPsrError(err) || err.code !== OSV_INDEX_DAMAGED) throw err;
    // A cached index damaged from outside psr (now removed): opening the sources again rebuilds
    // it from the data, and the scan goes on with a complete answer.
    warnings.push({ code: err.code, message: err.message, hint: 'it was rebuilt from the advisory data; if this repeats, check the disk of the cache directory' });
    opened = await open();
    index = new OsvIndex(opened.loaded);
    matched = matchPackages(index, packages, where, redactSources);
  }
  const { findings, unorderable } = matched;
  errors.push(...opened.errors.map(located));
  // The API covers every ecosystem; when it failed, its error says so, and a hint to sync data
  // for the ecosystem would only send the user the wrong way.
  const usesApi = options.sources.includes('osv');
  for (const eco of new Set(queries.map((q) => q.ecosystem)))
    if (!index.covers(eco) && !usesApi) {
      const n = queries.filter((q) => q.ecosystem === eco).length;
      warnings.push({
        code: ScanWarningCodes.NO_COVERAGE,
        message: `no advisory data for ${eco}: ${n} package(s) were not checked`,
        hint: `add a source with ${eco} advisories (e.g. \`psr db sync --ecosystem ${eco}\`)`,
      });
    }
  for (const l of opened.loaded) {
    const stale = staleDownloadDays(l.snapshot.location, l.snapshot.fetchedAt, startedAt);
    if (stale !== undefined)
      warnings.push({
        code: ScanWarningCodes.DATA_STALE,
        message: `advisory data ${l.snapshot.name} was downloaded ${stale} days ago: advisories published since are not in it`,
        hint: 'run `psr db sync` (daily in CI, or before scanning)',
      });
  }
  // In the dependency files' order (byPackage's), not the matching order.
  for (const list of byPackage.values()) {
    const d = list[0]!;
    if (!unorderable.has(d)) continue;
    warnings.push({
      code: ScanWarningCodes.VERSION_INVALID,
      message: `${d.name} ${d.version} is not a valid ${d.ecosystem === 'PyPI' ? 'PEP 440' : 'SemVer'} version: only explicit affected-version lists were checked`,
      location: { ...d.location, file: where(d.location.file) },
    });
  }

  // 4. Ignores.
  const ignoreWarnings: Diagnostic[] = [];
  applyIgnores(findings, rules, ignoreWarnings);
  warnings.push(...ignoreWarnings.map(located));

  const dataSources: DataSource[] = opened.loaded.map((l) => ({
    name: l.snapshot.name,
    snapshot: l.snapshot.snapshot,
    ...(l.snapshot.fetchedAt ? { fetchedAt: l.snapshot.fetchedAt } : {}),
    ...(l.snapshot.newestModified ? { newestModified: l.snapshot.newestModified } : {}),
  }));
  // A partial scan compared with a baseline would call everything it did not see resolved.
  const partial = opened.errors.length > 0 || inputFailed;
  if (baseline && partial) {
    warnings.push({
      code: ScanWarningCodes.BASELINE_SKIPPED,
      message: `not compared with the baseline ${options.baseline}: this scan is partial (see its errors), so what it did not see would count as resolved`,
      hint: 'fix the errors, then compare again',
    });
  }
  // A baseline that left out groups this scan reads: their findings count as new, since the
  // baseline never looked at them. (Groups only this scan leaves out are kept out of `resolved`
  // below, so a baseline of everything serves a scan with omit: dev as well.)
  const baselineOmit = [...(baseline?.run.omitted?.groups ?? [])].sort();
  const scannedHere = baselineOmit.filter((b) => !omit.includes(b) && !(b.startsWith('optional:') && omit.includes('optional')));
  if (baseline && !partial && scannedHere.length > 0) {
    const groups = (g: string[]): string => (g.length > 0 ? `omit ${g.join(', ')}` : 'nothing omitted');
    warnings.push({
      code: ScanWarningCodes.BASELINE_OMIT,
      message: `the baseline ${options.baseline} was made with ${groups(baselineOmit)}, this scan with ${groups([...omit].sort())}: findings in ${scannedHere.join(', ')} count as new, as the baseline did not look at them`,
      hint: 'give the scan of the baseline the same omit (or fewer groups)',
    });
  }
  // A baseline that saw less than it should (osv.dev was down on main's nightly run) makes what
  // it missed look new: every pull request fails until it is scanned again.
  if (baseline && !partial && baseline.errors.length > 0) {
    const first = baseline.errors[0]!;
    warnings.push({
      code: ScanWarningCodes.BASELINE_PARTIAL,
      message: `the baseline ${options.baseline} is the report of a partial scan (${baseline.errors.length} error(s), e.g. ${first.message} [${first.code}]): findings it did not see count as new`,
      hint: 'scan the baseline again once its errors are fixed',
    });
  }
  const redacted = (d: Diagnostic): Diagnostic =>
    redact
      ? { ...d, message: redact(d.message), ...(d.hint ? { hint: redact(d.hint) } : {}), ...(d.location ? { location: { ...d.location, file: redact(d.location.file) } } : {}) }
      : d;
  const report = createReport({
    tool: { name: 'psr', version: options.toolVersion ?? pluginVersion(), plugin: 'psr:scan' },
    run: {
      startedAt: isoTimestamp(startedAt),
      durationMs: Date.now() - startedAt,
      target: redact ? redact(options.path) : options.path,
      ...(omit.length > 0 ? { omitted: { groups: omit, dependencies: omittedCount } } : {}),
    },
    findings,
    dataSources: redact ? dataSources.map((d) => ({ ...d, name: redact(d.name) })) : dataSources,
    warnings: redact ? warnings.map(redacted) : warnings,
    errors: redact ? errors.map(redacted) : errors,
  });
  // Before the reports are written: every format shows each finding's baseline state.
  // Not looked at is not resolved: a baseline finding in a group this scan leaves out, or only in
  // files outside what it scanned (a matrix instance of services/api compared with a baseline
  // of the whole repository). Both name files alike: relative to the git repository.
  const scope = where(target);
  const scanned = (file: string): boolean => scope === '' || file === scope || (targetIsFolder && file.startsWith(`${scope}/`));
  const leftOut = (f: Finding): boolean =>
    (omit.length > 0 && f.package?.group !== undefined && isOmitted(f.package.group, omit)) || (f.locations.length > 0 && !f.locations.some((l) => scanned(l.file)));
  const comparison = baseline && !partial ? applyBaseline(report, baseline, options.baseline!, { leftOut }) : undefined;
  const written = plan.targets.length > 0 ? await writeReports(report, plan.targets, { root: cwd }) : [];
  let table: string | undefined;
  if (plan.print) {
    const render = { table: { color: options.color ?? false, ...(options.width ? { width: options.width } : {}), ...(options.tableDiagnostics === false ? { diagnostics: false } : {}) } };
    if (options.print) for (const chunk of await renderReportChunks(report, plan.print, render)) options.print(chunk);
    else table = await renderReport(report, plan.print, render);
  }
  const failing = failingFindings(report, options.failOn, options.failOnScope ?? 'all');
  const status: ScanResult['status'] =
    opened.errors.length > 0 ? 'source-failed' : inputFailed ? 'input-error' : failing.length > 0 ? 'findings' : 'clean';
  const s = report.summary;
  const outputs: TaskOutputs = {
    total: s.total,
    suppressed: s.suppressed,
    critical: s.bySeverity.critical,
    high: s.bySeverity.high,
    medium: s.bySeverity.medium,
    low: s.bySeverity.low,
    unknown: s.bySeverity.unknown,
    failing: failing.length,
    packages: byPackage.size,
    reports: written,
    // Active findings, as `total` counts them (the report's baseline section).
    new: report.baseline ? report.baseline.new : null,
    unchanged: report.baseline ? report.baseline.unchanged : null,
    resolved: report.baseline ? report.baseline.resolved : null,
    'data-sources': dataSources.map((d) => `${d.name}@${d.snapshot}`),
    status,
  };
  return { report, status, failing, written, ...(table !== undefined ? { table } : {}), ...(comparison ? { comparison } : {}), outputs };
}

/**
 * Mark findings matched by an ignore rule as suppressed (id or alias, optionally one package);
 * expired rules only warn, and rules that match nothing are reported. When rules overlap, the
 * first in the file applies: a repeated rule (same id and package) and a rule whose findings
 * an earlier one already suppresses are reported as unused, naming the rule that applies.
 *
 * @example
 * ```ts
 * applyIgnores(findings, await readIgnoreFile('.psr-ignore.yml'), warnings);
 * ```
 */
export function applyIgnores(findings: Finding[], rules: readonly IgnoreRule[], warnings: Diagnostic[], now = today()): void {
  const normalize = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');
  const named = (rule: IgnoreRule): string => `${rule.id}${rule.package ? ` (${rule.package})` : ''}`;
  // Rules are all in one file, whose name every warning's location already gives.
  const at = (rule: IgnoreRule): string => `line ${rule.location.line}`;
  // Active rules by id and package, and which rule suppressed each finding: the first one wins.
  const firstByKey = new Map<string, IgnoreRule>();
  const suppressedBy = new Map<Finding, IgnoreRule>();
  for (const rule of rules) {
    const id = rule.id.toUpperCase();
    const pkg = rule.package === undefined ? undefined : normalize(rule.package);
    const matches = findings.filter(
      (f) => [f.id, ...(f.aliases ?? [])].some((x) => x.toUpperCase() === id) && (pkg === undefined || normalize(f.package?.name ?? '') === pkg),
    );
    if (rule.expires !== undefined && rule.expires < now) {
      // One that matches nothing (fixed, or a shared file scanned one folder at a time) has nothing to renew.
      warnings.push(
        matches.length > 0
          ? {
              code: ScanWarningCodes.IGNORE_EXPIRED,
              message: `ignore of ${named(rule)} expired on ${rule.expires} and no longer suppresses ${matches.length} finding(s)`,
              hint: 'fix the vulnerability, or renew the ignore with a new `expires` and reason',
              location: rule.location,
            }
          : {
              code: ScanWarningCodes.IGNORE_EXPIRED,
              message: `ignore of ${named(rule)} expired on ${rule.expires} and matches no finding`,
              hint: 'remove it, unless another scan of this ignore file still needs it (then renew it)',
              location: rule.location,
            },
      );
      continue;
    }
    // An expired rule is no duplicate: renewing one by adding a new entry is allowed.
    const key = `${id}\u0000${pkg ?? ''}`;
    const first = firstByKey.get(key);
    if (first !== undefined) {
      warnings.push({
        code: ScanWarningCodes.IGNORE_UNUSED,
        message: `ignore of ${named(rule)} repeats the one at ${at(first)}: only the first applies`,
        hint: 'remove one of them (keep the reason, owner and expiry that hold)',
        location: rule.location,
      });
      continue;
    }
    firstByKey.set(key, rule);
    if (matches.length === 0) {
      warnings.push({
        code: ScanWarningCodes.IGNORE_UNUSED,
        message: `ignore of ${named(rule)} matched no finding`,
        hint: 'remove it if the vulnerability is gone',
        location: rule.location,
      });
      continue;
    }
    const fresh = matches.filter((f) => !suppressedBy.has(f));
    if (fresh.length === 0) {
      const earlier = suppressedBy.get(matches[0]!)!;
      warnings.push({
        code: ScanWarningCodes.IGNORE_UNUSED,
        message: `ignore of ${named(rule)} matches only findings already suppressed by the ignore of ${named(earlier)} at ${at(earlier)}: only the first applies`,
        hint: 'remove one of them: a finding is matched by its id or any alias',
        location: rule.location,
      });
      continue;
    }
    for (const f of fresh) {
      suppressedBy.set(f, rule);
      f.suppressed = {
        kind: 'ignore-file',
        reason: rule.reason,
        ...(rule.owner ? { owner: rule.owner } : {}),
        ...(rule.expires ? { expires: rule.expires } : {}),
      };
    }
  }
}
