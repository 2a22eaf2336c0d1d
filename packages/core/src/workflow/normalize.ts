/**
 * `UserWorkflow` (what people write, schema-checked) → `Workflow` (what the engine runs):
 * defaults applied, durations in milliseconds, `run:`/`script:` turned into task types.
 * Normalising never fails: values that cannot be converted (a bad duration) are left
 * undefined here and reported by the rules, which see the same input.
 */
import { basename, extname } from 'node:path';
import { wholeExpression } from '../expressions/template.js';
import type { InputSpec, MatrixExpressions, MatrixSpec, PluginRef, RetryPolicy, ScheduleSpec, TaskSpec, Workflow } from '../model.js';
import type { WorkflowDocument } from './document.js';
import { parseDuration } from './duration.js';
import type { UserRetry, UserTask, UserWorkflow } from './schema.js';

/** Retry defaults: one attempt, fixed 1 s waits capped at 1 min, no jitter. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 1, backoff: 'fixed', delayMs: 1000, maxDelayMs: 60_000, jitter: false };

/** Identity of the source being normalised. */
export interface WorkflowOrigin {
  /** Absolute path, or `<inline>`. */
  file: string;
  dir: string;
  /** Computes `Workflow.hash`; called on first read of it, at most once. */
  hash: () => string;
  /** Name used when the workflow has no `name:`. */
  fallbackName: string;
}

/** Normalise a schema-checked workflow. */
export function normalizeWorkflow(user: UserWorkflow, document: WorkflowDocument, origin: WorkflowOrigin): Workflow {
  const defaults = user.defaults;
  const defaultRetry = resolveRetry(defaults.retry, DEFAULT_RETRY);
  const defaultTimeout = optionalDuration(defaults.timeout);
  const defaultEnv = stringEnv(defaults.env);

  const schedule: ScheduleSpec[] = user.on.schedule.map((s, i) => ({
    cron: s.cron,
    timezone: s.timezone,
    overlap: s.overlap,
    catchUp: s['catch-up'],
    ...loc(document.locate(['on', 'schedule', i, 'cron'])),
  }));

  const plugins: PluginRef[] = user.plugins.map((specifier, i) => ({ specifier, ...loc(document.locate(['plugins', i])) }));

  const inputs: Record<string, InputSpec> = {};
  for (const [name, inp] of Object.entries(user.inputs)) {
    const spec: InputSpec = { type: inp.type, required: inp.required ?? inp.default === undefined };
    if (inp.description !== undefined) spec.description = inp.description;
    if (inp.default !== undefined) spec.default = inp.default;
    if (inp.enum !== undefined) spec.enum = inp.enum;
    inputs[name] = spec;
  }

  const tasks: TaskSpec[] = Object.entries(user.tasks).map(([id, t]) =>
    normalizeTask(id, t, document, { retry: defaultRetry, timeoutMs: defaultTimeout, shell: defaults.shell, env: defaultEnv }),
  );

  let hash: string | undefined;
  const workflow: Workflow = {
    version: 1,
    name: user.name ?? origin.fallbackName,
    file: origin.file,
    dir: origin.dir,
    // A getter: only history and `--resume` read the hash, and hashing loads `node:crypto`.
    get hash() {
      return (hash ??= origin.hash());
    },
    schedule,
    plugins,
    inputs,
    env: stringEnv(user.env),
    failFast: user['fail-fast'],
    tasks,
  };
  if (user.description !== undefined) workflow.description = user.description;
  if (user.concurrency !== undefined) workflow.concurrency = user.concurrency;
  const timeoutMs = optionalDuration(user.timeout);
  if (timeoutMs !== undefined) workflow.timeoutMs = timeoutMs;
  return workflow;
}

/** The name a workflow gets from its file when it has no `name:`. */
export function nameFromFile(file: string): string {
  return basename(file, extname(file)) || 'workflow';
}

interface TaskDefaults {
  retry: RetryPolicy;
  timeoutMs: number | undefined;
  shell: string | undefined;
  env: Record<string, string>;
}

function normalizeTask(id: string, t: UserTask, document: WorkflowDocument, defaults: TaskDefaults): TaskSpec {
  const shell = t.shell ?? defaults.shell;
  let uses: string;
  let input: Record<string, unknown>;
  if (t.run !== undefined) {
    uses = 'run';
    input = { run: t.run, ...(shell !== undefined ? { shell } : {}) };
  } else if (t.script !== undefined) {
    uses = 'script';
    input = { script: t.script, ...(t.args !== undefined ? { args: t.args.map(String) } : {}), ...(shell !== undefined ? { shell } : {}) };
  } else {
    uses = t.uses ?? '';
    input = t.with;
  }
  const needs = typeof t.needs === 'string' ? [t.needs] : t.needs;
  const spec: TaskSpec = {
    id,
    name: t.name ?? id,
    uses,
    with: input,
    needs,
    env: { ...defaults.env, ...stringEnv(t.env) },
    retry: resolveRetry(t.retry, defaults.retry),
    continueOnError: t['continue-on-error'] === true,
    ...loc(document.locate(['tasks', id], 'key')),
    needsLocations: needs.map((_, i) => document.locate(typeof t.needs === 'string' ? ['tasks', id, 'needs'] : ['tasks', id, 'needs', i])),
  };
  const condition = conditionText(t.if);
  if (condition !== undefined) spec.if = condition;
  const timeoutMs = t.timeout !== undefined ? optionalDuration(t.timeout) : defaults.timeoutMs;
  if (timeoutMs !== undefined) spec.timeoutMs = timeoutMs;
  if (t['working-directory'] !== undefined) spec.workdir = t['working-directory'];
  if (t.strategy !== undefined) {
    spec.matrix = matrixSpec(t.strategy.matrix, t.strategy['max-parallel']);
    if (t.strategy['fail-fast']) spec.matrix.failFast = true;
  }
  // The validExpressions rule rejects any other string.
  const continueOnError = typeof t['continue-on-error'] === 'string' ? wholeExpression(t['continue-on-error']) : undefined;
  if (continueOnError !== undefined) spec.continueOnErrorExpression = continueOnError;
  return spec;
}

/**
 * The expression of an `if:`: `${{ x }}` and `x` both mean the expression `x`
 * (GitHub Actions lets `if:` omit the braces); booleans become `true`/`false`.
 */
export function conditionText(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return String(value);
  const trimmed = value.trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  if (m && !m[1]!.includes('}}')) return m[1]!.trim();
  return trimmed;
}

/**
 * Split `strategy.matrix` into axes, include and exclude (shape checked by the validMatrix
 * rule). Parts written as one `${{ }}` go to `expressions`: they are evaluated at run time.
 */
export function matrixSpec(matrix: Record<string, unknown> | string, maxParallel: number | undefined): MatrixSpec {
  const axes: Record<string, unknown[]> = {};
  const expressions: MatrixExpressions = {};
  let dynamic = false;
  if (typeof matrix === 'string') {
    const whole = wholeExpression(matrix);
    if (whole !== undefined) {
      expressions.matrix = whole;
      dynamic = true;
    }
    matrix = {};
  }
  for (const [k, v] of Object.entries(matrix)) {
    if (k === 'include' || k === 'exclude') continue;
    const expr = typeof v === 'string' ? wholeExpression(v) : undefined;
    if (expr !== undefined) {
      (expressions.axes ??= {})[k] = expr;
      axes[k] = [];
      dynamic = true;
    } else axes[k] = Array.isArray(v) ? v : [v];
  }
  const rows = (v: unknown): Array<Record<string, unknown>> =>
    Array.isArray(v) ? v.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r)) : [];
  const spec: MatrixSpec = { axes, include: rows(matrix.include), exclude: rows(matrix.exclude) };
  for (const kind of ['include', 'exclude'] as const) {
    const v = matrix[kind];
    const expr = typeof v === 'string' ? wholeExpression(v) : undefined;
    if (expr !== undefined) {
      expressions[kind] = expr;
      dynamic = true;
    }
  }
  if (maxParallel !== undefined) spec.maxParallel = maxParallel;
  if (dynamic) spec.expressions = expressions;
  return spec;
}

function resolveRetry(retry: UserRetry | undefined, base: RetryPolicy): RetryPolicy {
  if (retry === undefined) return { ...base };
  // Keys the task sets override the defaults' keys one by one: `retry: 3` under
  // `defaults.retry: { backoff: exponential }` retries three times, exponentially.
  if (typeof retry === 'number') return { ...base, attempts: retry };
  const policy: RetryPolicy = {
    attempts: retry.attempts ?? base.attempts,
    backoff: retry.backoff ?? base.backoff,
    delayMs: optionalDuration(retry.delay) ?? base.delayMs,
    maxDelayMs: optionalDuration(retry['max-delay']) ?? base.maxDelayMs,
    jitter: retry.jitter ?? base.jitter,
  };
  const on = retry.on ?? base.on;
  if (on !== undefined) policy.on = on;
  const budgetMs = optionalDuration(retry.budget) ?? base.budgetMs;
  if (budgetMs !== undefined) policy.budgetMs = budgetMs;
  return policy;
}

function optionalDuration(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value);
  } catch {
    return undefined; // reported with its position by the validDurations rule
  }
}

function stringEnv(env: Record<string, string | number | boolean>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = String(v);
  return out;
}

function loc<T>(location: T | undefined): { location?: T } {
  return location === undefined ? {} : { location };
}
