import path from 'node:path';
import { stat } from 'node:fs/promises';
import { TaskFailure, defineTask, z } from '@psr/core';
import type { OutputValue, TaskContext, TaskOutputs } from '@psr/core';
import type { Finding } from '@psr/report';
import { parseSize } from './config/config.js';
import { writeBaseline } from './baseline/baseline.js';
import { REPORT_FORMATS, writeReportOutputs } from './report-output.js';
import { type SecretScanResult, scanSecrets } from './scan-secrets.js';

/**
 * The default baseline file, relative to the scan root.
 *
 * @example
 * ```ts
 * path.join(root, DEFAULT_BASELINE_FILE); // <root>/.psr/secret-scan-baseline.json
 * ```
 */
export const DEFAULT_BASELINE_FILE = '.psr/secret-scan-baseline.json';
const MAX_LISTED_FINDINGS = 500;

const list = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as Array<z.output<T>>);

/**
 * The `with:` of a `secret-scan` task (zod schema; defaults apply).
 *
 * @example
 * ```ts
 * const input = secretScanInput.parse({ path: '.', format: 'sarif', output: 'secrets.sarif' });
 * ```
 */
export const secretScanInput = z.object({
  /** Folder or repository to scan, relative to the task's working directory. */
  path: z.string().default('.'),
  /** `files` scans the working tree; `history` scans lines added by each commit. */
  mode: z.enum(['files', 'history', 'staged']).default('files'),
  /** History: only commits after this date (git `--since`). */
  since: z.string().optional(),
  /** History: scan `from..to`. */
  from: z.string().optional(),
  /** History: last commit to scan (default HEAD, or every ref when `from` is not set). */
  to: z.string().optional(),
  /** Config file (default `<path>/.psr/secret-scan.yml` when it exists). */
  config: z.string().optional(),
  /** Baseline file of accepted findings. */
  baseline: z.string().optional(),
  /** Write every current finding to the baseline file (atomically) and pass. */
  'update-baseline': z.boolean().default(false),
  /** Report formats; pair each with an `output` file, or it goes to the log. */
  format: list(z.enum(REPORT_FORMATS)).default([]),
  /** Report files, one per `format`, in the same order. */
  output: list(z.string()).default([]),
  /** Skip files larger than this (`10MB`). */
  'max-file-size': z.union([z.number().int().nonnegative(), z.string()]).optional(),
  /** Honor .gitignore files. */
  gitignore: z.boolean().default(true),
  /** Fail the task (exit 1) when unallowed findings remain. */
  'fail-on-findings': z.boolean().default(true),
}).superRefine((input, ctx) => {
  // A range the scan would ignore is a mistake, not a no-op (`--mode staged --since …`).
  for (const key of ['since', 'from', 'to'] as const) {
    if (input[key] !== undefined && input.mode !== 'history') ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies to mode history only, not ${input.mode}` });
  }
});

/** The parsed input of a `secret-scan` task. */
export type SecretScanInput = z.output<typeof secretScanInput>;

function findingOutput(f: Finding): OutputValue {
  const loc = f.locations[0];
  const out: Record<string, OutputValue> = {
    rule: f.id,
    file: loc?.file ?? '',
    line: loc?.line ?? 0,
    column: loc?.col ?? 0,
    severity: f.severity,
    confidence: f.confidence ?? 'medium',
    fingerprint: f.fingerprint,
    redacted: f.redacted ?? '',
  };
  if (loc?.commit) out['commit'] = loc.commit;
  if (loc?.author) out['author'] = loc.author;
  if (loc?.date) out['date'] = loc.date;
  if (f.suppressed) out['suppressed'] = f.suppressed.kind;
  return out;
}

/**
 * The outputs of a scan (what `tasks.<id>.outputs` holds): counts and the first 500 findings.
 *
 * @example
 * ```ts
 * const outputs = scanOutputs(await scanSecrets({ root: '.', mode: 'files' }));
 * outputs.total; // unallowed findings
 * ```
 */
export function scanOutputs(result: SecretScanResult): TaskOutputs {
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of result.active) if (f.severity in bySeverity) bySeverity[f.severity as keyof typeof bySeverity]++;
  return {
    total: result.active.length,
    suppressed: result.findings.length - result.active.length,
    ...bySeverity,
    filesScanned: result.stats.filesScanned,
    bytesScanned: result.stats.bytesScanned,
    skippedBinary: result.stats.skippedBinary,
    skippedOversized: result.stats.skippedOversized,
    commitsScanned: result.stats.commitsScanned,
    findings: result.findings.slice(0, MAX_LISTED_FINDINGS).map(findingOutput),
  };
}

function where(f: Finding): string {
  const loc = f.locations[0];
  const commit = loc?.commit ? ` @${loc.commit.slice(0, 10)}` : '';
  return `${loc?.file ?? '?'}:${loc?.line ?? 0}:${loc?.col ?? 0}${commit}`;
}

/**
 * Run the task: shared by workflows (`uses: secret-scan`) and `psr secret-scan`. Throws a
 * `TaskFailure` of kind `findings` (exit code 1, outputs attached) when unallowed findings remain.
 *
 * @example
 * ```ts
 * const outputs = await runSecretScanTask(ctx, secretScanInput.parse({ path: 'src' }));
 * ```
 */
export async function runSecretScanTask(ctx: TaskContext, input: SecretScanInput): Promise<TaskOutputs> {
  const root = path.resolve(ctx.workdir, input.path);
  const baselineFile = input.baseline !== undefined ? path.resolve(ctx.workdir, input.baseline) : input['update-baseline'] ? path.join(await scanFolder(root), DEFAULT_BASELINE_FILE) : undefined;
  const result = await scanSecrets({
    root,
    target: input.path,
    mode: input.mode,
    range: { ...(input.since ? { since: input.since } : {}), ...(input.from ? { from: input.from } : {}), ...(input.to ? { to: input.to } : {}) },
    ...(input.config !== undefined ? { configFile: path.resolve(ctx.workdir, input.config) } : {}),
    ...(baselineFile !== undefined && !input['update-baseline'] ? { baselineFile } : {}),
    ...(input['max-file-size'] !== undefined ? { maxFileSize: parseSize(input['max-file-size'], 'max-file-size') } : {}),
    respectGitignore: input.gitignore,
    signal: ctx.signal,
  });

  if (input['update-baseline'] && baselineFile) {
    const accepted = result.findings.filter((f) => !f.suppressed || f.suppressed.kind === 'baseline');
    await writeBaseline(baselineFile, accepted);
    for (const f of accepted) f.suppressed ??= { kind: 'baseline', reason: 'accepted in the baseline' };
    result.active.splice(0, result.active.length);
    result.report.summary.suppressed = result.findings.filter((f) => f.suppressed).length;
    ctx.log.info(`baseline: ${accepted.length} finding(s) accepted in ${path.relative(ctx.workdir, baselineFile) || baselineFile}`);
  }

  for (const f of result.active) ctx.log.warn(`${where(f)}  ${f.id}  ${f.redacted ?? ''}  [${f.severity}, confidence ${f.confidence ?? 'medium'}]`);
  const s = result.stats;
  const scanned =
    s.mode === 'history' ? `${s.commitsScanned} commit(s)` : s.mode === 'staged' ? `staged changes, ${(s.bytesScanned / 1024).toFixed(1)} KB added` : `${s.filesScanned} file(s), ${(s.bytesScanned / 1048576).toFixed(1)} MB`;
  ctx.log.info(
    `secret-scan: ${result.active.length} finding(s), ${result.findings.length - result.active.length} suppressed; scanned ${scanned} in ${s.durationMs} ms` +
      (s.mode === 'files'
        ? `; skipped ${s.skippedBinary} binary, ${s.skippedOversized} oversized, ${s.skippedSymlinks} symlink(s), ${s.gitignored} .gitignored, ${s.allowlistedPaths} allowlisted path(s)`
        : ''),
  );
  ctx.span.setAttributes({
    'psr.secret_scan.mode': s.mode,
    'psr.secret_scan.findings': result.active.length,
    'psr.secret_scan.suppressed': result.findings.length - result.active.length,
    'psr.secret_scan.files': s.filesScanned,
    'psr.secret_scan.bytes': s.bytesScanned,
    'psr.secret_scan.commits': s.commitsScanned,
  });

  const { written, printed } = await writeReportOutputs(result.report, input.format, input.output, ctx.workdir);
  for (const file of written) {
    // Relative to the task's folder when inside it; a path elsewhere (`/dev/stdout`) as given.
    const relative = path.relative(ctx.workdir, file);
    ctx.log.info(`report written: ${relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative}`);
  }
  for (const p of printed) ctx.log.stdout(p.text.endsWith('\n') ? p.text : `${p.text}\n`);

  const outputs = scanOutputs(result);
  if (result.active.length > 0 && input['fail-on-findings']) {
    throw new TaskFailure(`${result.active.length} unallowed secret finding(s)`, { kind: 'findings', exitCode: 1, outputs, retryable: false });
  }
  return outputs;
}

/**
 * The `secret-scan` task type.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-secrets', apiVersion: 1, tasks: { 'secret-scan': secretScanTask } });
 * ```
 */
export const secretScanTask = defineTask({
  description: 'Find leaked credentials in files or git history',
  input: secretScanInput,
  failureKinds: ['findings'],
  run: runSecretScanTask,
});

/** The folder a scan of `root` belongs to: `root`, or the folder of a file scanned alone (its baseline lives there). */
async function scanFolder(root: string): Promise<string> {
  return (await stat(root).catch(() => undefined))?.isFile() ? path.dirname(root) : root;
}
