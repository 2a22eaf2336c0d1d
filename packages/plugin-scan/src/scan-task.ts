/** The `scan` task type (`uses: scan`). */
import { isAbsolute, relative, resolve } from 'node:path';
import { defineTask, isPsrError, PsrError, shownDiagnostics, TaskFailure, z, type Diagnostic, type TaskContext, type TaskOutputs } from '@psr/core';
import { baseUrlProblem } from '@psr/osv/base-url';
import { FAIL_ON_LEVELS, FAIL_ON_SCOPES, REPORT_FORMATS, type Finding } from '@psr/report';
import { OMIT_HINT, omitProblem } from './omit-groups.js';
import { planOutputs, runScan, type ScanResult } from './run-scan.js';
import { ScanErrorCodes } from './scan-errors.js';

const stringList = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * `format` and `output` pair up as `psr scan`'s flags must ({@link planOutputs}: one output per
 * format, or outputs alone, or at most one format printed). The problem is put on `output`, or
 * on `format` when there is no output.
 */
function formatsPairWithOutputs(input: { format?: string[] | undefined; output?: string[] | undefined }, ctx: z.RefinementCtx): void {
  let printed: string | undefined;
  try {
    printed = planOutputs(input.format ?? [], input.output ?? []).print;
  } catch (err) {
    if (!isPsrError(err)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message, path: [input.output?.length ? 'output' : 'format'], params: err.hint ? { hint: err.hint } : {} });
    return;
  }
  // What `psr scan` prints to stdout, the task logs, each line prefixed with the task's name:
  // a SARIF or JSON document there can be neither uploaded nor parsed.
  if (printed === 'sarif' || printed === 'json') {
    const file = printed === 'sarif' ? 'scan.sarif' : 'scan.json';
    ctx.addIssue({
      code: 'custom',
      message: `a ${printed === 'sarif' ? 'SARIF' : 'JSON'} report needs an output file: the task would write it into its log`,
      path: [input.output?.length ? 'output' : 'format'],
      params: { hint: `add output: ${file} (the extension alone names the format: output: ${file} is enough)` },
    });
  }
}

/**
 * `osv-api-url` is an http(s) URL that fetch can request, as `psr scan --osv-api-url` wants:
 * anything else would fail every attempt as a failed source (and be retried) instead of being
 * an input mistake `psr validate` shows.
 */
function httpBaseUrl(value: string, ctx: z.RefinementCtx): void {
  const problem = baseUrlProblem(value, 'https://api.osv.dev, or http://127.0.0.1:8080 for a mirror');
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { hint: problem.hint } });
}

/**
 * `fail-on-scope: new` counts only findings a baseline does not have: without a `baseline` it
 * would have nothing to compare with. Put on `fail-on-scope`, so `psr validate` shows it there.
 */
function newScopeHasBaseline(input: { 'fail-on-scope'?: string | undefined; baseline?: string | undefined }, ctx: z.RefinementCtx): void {
  if (input['fail-on-scope'] === 'new' && input.baseline === undefined)
    ctx.addIssue({
      code: 'custom',
      message: 'fail-on-scope new counts only findings a baseline does not have, and no baseline is given',
      path: ['fail-on-scope'],
      params: { hint: 'add `baseline: <report.json>` (a JSON report of an earlier scan, e.g. of the main branch), or use fail-on-scope all' },
    });
}

/** The `with:` of a `scan` task. */
export const ScanInputSchema = z
  .object({
    path: z.string().min(1).default('.').describe('File or folder to scan (folders are searched recursively, respecting .gitignore)'),
    sources: stringList.optional().describe('Advisory data: folder or zip paths, `db` (managed database), `osv` (osv.dev API). Default: `db`'),
    // Every finding by default, as pip-audit and osv-scanner fail: most PyPA advisories carry
    // no severity (`unknown`, the lowest level), so a `high` default passed projects with dozens.
    'fail-on': z.enum(FAIL_ON_LEVELS).default('unknown').describe('Fail when a finding is at or above this severity (`unknown`, the default: every finding; `none`: never)'),
    'fail-on-scope': z
      .enum(FAIL_ON_SCOPES)
      .default('all')
      .describe('Which findings `fail-on` counts: `all` (the default) or `new`, those the `baseline` does not have (gate pull requests on what they add)'),
    format: z.union([z.enum(REPORT_FORMATS), z.array(z.enum(REPORT_FORMATS))]).transform((v) => (Array.isArray(v) ? v : [v])).optional().describe('Report format(s): table, json, sarif, markdown'),
    output: stringList.optional().describe('Report path(s), one per format (or alone: the format follows the extension)'),
    'ignore-file': z.string().min(1).optional().describe('YAML file of accepted vulnerabilities (id, reason, package, expires, owner)'),
    baseline: z.string().min(1).optional().describe('A JSON report from an earlier scan: marks each finding new or unchanged, outputs `new`, `unchanged` and `resolved`'),
    omit: stringList
      .superRefine((groups, ctx) => {
        const problem = omitProblem(groups);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { hint: OMIT_HINT } });
      })
      .optional()
      .describe('Dependency groups to leave out: `dev`, `optional`, `optional:<extra>`, `group:<name>` (as `npm audit --omit dev`); the report says how many were left out'),
    'python-version': z.string().min(1).optional().describe('Evaluate environment markers for this Python version'),
    platform: z.string().min(1).optional().describe('Evaluate environment markers for this platform (linux, darwin, win32)'),
    'osv-api-url': z.string().superRefine(httpBaseUrl).optional().describe('Base URL of the osv.dev API (default https://api.osv.dev or $PSR_OSV_API_URL)'),
  })
  .strict()
  // In the schema, so `psr validate` reports it at the field rather than the run failing.
  // Checked whenever `format` and `output` are themselves valid, whatever else is wrong.
  .superRefine(formatsPairWithOutputs, { when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'format' || i.path?.[0] === 'output') })
  .superRefine(newScopeHasBaseline, { when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'fail-on-scope' || i.path?.[0] === 'baseline') });

/** The outputs of a scan stopped by an input error before it read anything: no counts, no reports. */
const NOT_SCANNED: TaskOutputs = {
  total: null,
  suppressed: null,
  critical: null,
  high: null,
  medium: null,
  low: null,
  unknown: null,
  failing: null,
  packages: null,
  reports: [],
  new: null,
  unchanged: null,
  resolved: null,
  'data-sources': [],
  status: 'input-error',
};

/** `file:line: message [CODE]`, as the task logs a warning or error of the report. */
function diagnosticLine(d: Diagnostic): string {
  return `${d.location ? `${d.location.file}:${d.location.line}: ` : ''}${d.message} [${d.code}]`;
}

/** A written report's path relative to the task's folder when inside it, else as written. */
function shownPath(workdir: string, file: string): string {
  const rel = relative(workdir, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** The failing findings a CI log can act on without opening a report: id, package, fix; the first few. */
function failingList(failing: readonly Finding[]): string {
  const SHOWN = 5;
  const named = failing.slice(0, SHOWN).map((f) => {
    const p = f.package;
    const fix = p?.fixedVersions?.[0];
    return `${f.id} (${f.severity}) in ${p ? `${p.name} ${p.version ?? ''}`.trim() : f.locations[0]?.file ?? '?'}${fix ? `, fixed in ${fix}` : ''}`;
  });
  return `${named.join('; ')}${failing.length > SHOWN ? `; and ${failing.length - SHOWN} more` : ''}`;
}

/**
 * Report files of the instances of each matrix scan task, by run and task id: two instances
 * writing one file would each replace the other's report (the run keeps one service's SARIF of
 * three, without a word). Kept for the last few tasks: instances of one task run together.
 */
const reportsOfMatrixTasks = new Map<string, Map<string, string>>();
const MATRIX_TASKS_KEPT = 64;

/** Claim the report files of this matrix instance, or throw naming the instance that writes one already. */
function claimReports(ctx: TaskContext, outputs: readonly string[]): void {
  if (ctx.task.matrix === undefined) return;
  const key = `${ctx.run.id}\u0000${ctx.task.id}`;
  let claimed = reportsOfMatrixTasks.get(key);
  if (claimed === undefined) {
    claimed = new Map();
    reportsOfMatrixTasks.set(key, claimed);
    if (reportsOfMatrixTasks.size > MATRIX_TASKS_KEPT) reportsOfMatrixTasks.delete(reportsOfMatrixTasks.keys().next().value!);
  }
  for (const output of outputs) {
    if (output === '-') continue;
    const file = resolve(ctx.workdir, output);
    const owner = claimed.get(file);
    if (owner !== undefined && owner !== ctx.task.instanceId)
      throw new PsrError(ScanErrorCodes.OUTPUT, `${output} is also the report of ${owner}: each instance of the matrix would replace the other's`, {
        hint: `name each instance's report after its matrix values, e.g. output: reports/\${{ matrix.${Object.keys(ctx.task.matrix)[0] ?? 'name'} }}.sarif`,
      });
    claimed.set(file, ctx.task.instanceId);
  }
}

/**
 * Find known vulnerabilities in the project's pinned dependencies.
 *
 * @example
 * ```yaml
 * tasks:
 *   audit:
 *     uses: scan
 *     with: { path: ., sources: [advisories/], fail-on: high, format: [sarif, markdown], output: [scan.sarif, scan.md] }
 * ```
 */
export const scanTask = defineTask({
  description: 'Find known vulnerabilities in Python and JavaScript dependencies (OSV advisories)',
  input: ScanInputSchema,
  // `psr validate` refuses a `retry.on` of another kind (`on: [network]` would never retry).
  failureKinds: ['findings', 'source', 'input'],
  async run(ctx, input) {
    let result: ScanResult;
    try {
      claimReports(ctx, input.output ?? []);
      result = await runScan({
        path: input.path,
        cwd: ctx.workdir,
        sources: input.sources ?? [],
        failOn: input['fail-on'],
        failOnScope: input['fail-on-scope'],
        formats: input.format ?? [],
        outputs: input.output ?? [],
        ...(input['ignore-file'] ? { ignoreFile: input['ignore-file'] } : {}),
        ...(input.baseline ? { baseline: input.baseline } : {}),
        ...(input['python-version'] ? { pythonVersion: input['python-version'] } : {}),
        ...(input.platform ? { platform: input.platform } : {}),
        ...(input.omit ? { omit: input.omit } : {}),
        ...(input['osv-api-url'] ? { osvApiUrl: input['osv-api-url'] } : {}),
        env: ctx.env,
        signal: ctx.signal,
        // Report files are not log lines: the task masks the secrets in them itself.
        redact: (text) => ctx.mask(text),
        // Logged below, each at its level: listed in the table as well, each was there twice.
        tableDiagnostics: false,
        // The first scan of some data takes ~1 s longer than the next ones: say why.
        onIndexBuild: (source) => ctx.log.info(`compiling the advisory index of ${source} (first scan of this data; later scans reuse it)`),
      });
    } catch (err) {
      // An input mistake (path, ignore file, output plan, baseline) fails the task as `input`,
      // with outputs saying so: a later `if:` reads `status` whatever happened. The error stays
      // the cause, so the failure shows its code, file:line:col and hint.
      if (isPsrError(err)) throw new TaskFailure(err.message, { kind: 'input', outputs: NOT_SCANNED, cause: err });
      throw err;
    }
    // Compiling an index and matching run without a pause (~1 s cold for the PyPA data, ~5 s for
    // npm's), so the attempt's timer cannot fire during them: give it its turn, so a scan that
    // ran past `timeout:` ends as a timeout (a retry then reads the index this attempt compiled).
    await new Promise((done) => setTimeout(done, 0));
    if (result.table) for (const line of result.table.replace(/\n$/, '').split('\n')) ctx.log.info(line);
    const b = result.report.baseline;
    const compared = b && `${b.new} new, ${b.unchanged} unchanged, ${b.resolved} resolved (baseline ${b.report})`;
    // A logged table ends with this line already.
    if (compared && !result.table?.includes(compared)) ctx.log.info(compared);
    // Logged at their level (log consumers filter on it), the first few of each code:
    // thousands of one warning would bury the rest. Errors keep their hint: it says what to fix.
    const { shown, omittedLine } = shownDiagnostics(result.report.warnings);
    for (const w of shown) ctx.log.warn(diagnosticLine(w));
    const full = result.written.filter((path) => /\.(json|sarif)$/i.test(path));
    if (omittedLine) ctx.log.warn(`${omittedLine} (${full.length > 0 ? `every one is in ${full.join(', ')}` : 'a JSON report lists them all'})`);
    for (const e of result.report.errors) ctx.log.error(`${diagnosticLine(e)}${e.hint ? ` (hint: ${e.hint})` : ''}`);
    // Reports written to files leave the log without a word on what was found: say it, as
    // `psr scan` does on stderr (the table ends with the same counts).
    if (!result.table) {
      for (const file of result.written) ctx.log.info(`report written: ${shownPath(ctx.workdir, file)}`);
      const { omittedLine, summaryLine } = await import('@psr/report/table');
      const sources = (result.report.dataSources ?? []).map((d) => `${d.name} ${d.snapshot}`).join(', ');
      // With fail-on-scope new only new findings count: `2 high; 0 at or above` alone reads as a bug.
      const counted = input['fail-on-scope'] === 'new' && result.report.baseline ? ' new' : '';
      const failing = input['fail-on'] === 'none' ? '' : `; ${result.failing.length}${counted} at or above fail-on ${input['fail-on']}`;
      ctx.log.info(`${summaryLine(result.report)}${failing}; data: ${sources || 'none'}`);
      // A clean production-only scan must not read as a clean project in the log either.
      if (result.report.run.omitted) ctx.log.info(omittedLine(result.report.run.omitted));
    }
    const o = result.outputs;
    if (result.status === 'source-failed')
      throw new TaskFailure(`advisory data source failed: the scan is incomplete (${result.report.errors.map((e) => e.message).join('; ')})`, { kind: 'source', outputs: o });
    if (result.status === 'input-error')
      throw new TaskFailure(`some dependency files could not be read: the scan is incomplete`, { kind: 'input', outputs: o });
    // The same data finds the same vulnerabilities: a bare `retry: 3` must not scan again.
    if (result.status === 'findings')
      throw new TaskFailure(
        `${result.failing.length}${result.report.baseline && input['fail-on-scope'] === 'new' ? ' new' : ''} vulnerabilit${result.failing.length === 1 ? 'y' : 'ies'} at or above ${input['fail-on']}: ${failingList(result.failing)}`,
        { kind: 'findings', outputs: o, retryable: false },
      );
    return o;
  },
});
