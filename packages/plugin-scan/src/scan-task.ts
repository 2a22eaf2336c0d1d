/** The `scan` task type (`uses: scan`). */
import { defineTask, isPsrError, shownDiagnostics, TaskFailure, z, type TaskOutputs } from '@psr/core';
import { FAIL_ON_LEVELS, FAIL_ON_SCOPES, REPORT_FORMATS } from '@psr/report';
import { OMIT_HINT, omitProblem } from './omit-groups.js';
import { planOutputs, runScan, type ScanResult } from './run-scan.js';

const stringList = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * `format` and `output` pair up as `psr scan`'s flags must ({@link planOutputs}: one output per
 * format, or outputs alone, or at most one format printed). The problem is put on `output`, or
 * on `format` when there is no output.
 */
function formatsPairWithOutputs(input: { format?: string[] | undefined; output?: string[] | undefined }, ctx: z.RefinementCtx): void {
  try {
    planOutputs(input.format ?? [], input.output ?? []);
  } catch (err) {
    if (!isPsrError(err)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message, path: [input.output?.length ? 'output' : 'format'], params: err.hint ? { hint: err.hint } : {} });
  }
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
    'osv-api-url': z.string().url().optional().describe('Base URL of the osv.dev API (default https://api.osv.dev or $PSR_OSV_API_URL)'),
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
  async run(ctx, input) {
    let result: ScanResult;
    try {
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
    if (result.table) for (const line of result.table.replace(/\n$/, '').split('\n')) ctx.log.info(line);
    const b = result.report.baseline;
    const compared = b && `${b.new} new, ${b.unchanged} unchanged, ${b.resolved} resolved (baseline ${b.report})`;
    // A logged table ends with this line already.
    if (compared && !result.table?.includes(compared)) ctx.log.info(compared);
    // Logged at their level too (log consumers filter on it), the first few of each code:
    // thousands of one warning would bury the rest.
    const { shown, omittedLine } = shownDiagnostics(result.report.warnings);
    for (const w of shown) ctx.log.warn(`${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.message} [${w.code}]`);
    const full = result.written.filter((path) => /\.(json|sarif)$/i.test(path));
    if (omittedLine) ctx.log.warn(`${omittedLine} (${full.length > 0 ? `every one is in ${full.join(', ')}` : 'a JSON report lists them all'})`);
    for (const e of result.report.errors) ctx.log.error(`${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.message} [${e.code}]`);
    const o = result.outputs;
    if (result.status === 'source-failed')
      throw new TaskFailure(`advisory data source failed: the scan is incomplete (${result.report.errors.map((e) => e.message).join('; ')})`, { kind: 'source', outputs: o });
    if (result.status === 'input-error')
      throw new TaskFailure(`some dependency files could not be read: the scan is incomplete`, { kind: 'input', outputs: o });
    if (result.status === 'findings')
      throw new TaskFailure(
        `${result.failing.length}${result.report.baseline && input['fail-on-scope'] === 'new' ? ' new' : ''} vulnerabilit${result.failing.length === 1 ? 'y' : 'ies'} at or above ${input['fail-on']}`,
        { kind: 'findings', outputs: o },
      );
    return o;
  },
});
