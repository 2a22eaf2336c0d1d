/**
 * The resolved workflow: what the engine runs. `loadWorkflow` turns what people write
 * (YAML, see docs/workflow-language.md) into this shape; every default is filled in and
 * every duration is in milliseconds. Strings may still hold `${{ }}` expressions: they are
 * evaluated by the engine when the task is about to run.
 */
import type { SourceLocation } from './errors.js';

/** A typed workflow input (`inputs:`), set with `psr run --input name=value`. */
export interface InputSpec {
  type: 'string' | 'number' | 'boolean';
  description?: string;
  default?: string | number | boolean;
  enum?: Array<string | number | boolean>;
  /** True when there is no default: the run refuses to start without a value. */
  required: boolean;
}

/** One `on.schedule` entry. */
export interface ScheduleSpec {
  /** 5-field cron, or 6 fields with seconds first. */
  cron: string;
  /** IANA timezone name; default `UTC`. */
  timezone: string;
  /** What to do when the previous run of this schedule is still going. */
  overlap: 'skip' | 'queue' | 'allow';
  /** Whether a fire missed while the daemon was down runs once on start. */
  catchUp: 'none' | 'last';
  location?: SourceLocation;
}

/** The retry policy of a task (`retry:`), fully defaulted. */
export interface RetryPolicy {
  /** Total tries, the first one included (>= 1). */
  attempts: number;
  backoff: 'fixed' | 'exponential';
  /** First wait, in ms. */
  delayMs: number;
  /** Upper bound of any single wait, in ms. */
  maxDelayMs: number;
  /** Full jitter: each wait is uniformly random in [0, computed]. */
  jitter: boolean;
  /**
   * Which failures are worth retrying: exit codes (numbers) and error kinds
   * (`timeout`, `error`, `network`, `exit`, or a plugin's own kind). Undefined: any failure.
   */
  on?: Array<number | string>;
  /** Retry budget: total time across all attempts and waits of one task, in ms. */
  budgetMs?: number;
}

/** `strategy.matrix` of a task. */
export interface MatrixSpec {
  axes: Record<string, unknown[]>;
  include: Array<Record<string, unknown>>;
  exclude: Array<Record<string, unknown>>;
  /** At most this many instances of this task at once. */
  maxParallel?: number;
  /** `strategy.fail-fast`: the first failed instance (not continued) cancels its siblings. */
  failFast?: boolean;
  /**
   * Parts written as one `${{ }}` expression (a dynamic matrix): evaluated when the task's
   * needs are done, then merged with the static parts and expanded. Undefined for a static matrix.
   */
  expressions?: MatrixExpressions;
}

/** The `${{ }}` parts of a dynamic matrix, as expression text without the braces. */
export interface MatrixExpressions {
  /** `matrix: ${{ … }}`: the whole matrix (an object of axes, `include`, `exclude`); `axes` is then empty. */
  matrix?: string;
  /** Axes written as an expression (`pkg: ${{ … }}`), by name. Their entry in `MatrixSpec.axes` is an empty list that keeps the axis order. */
  axes?: Record<string, string>;
  include?: string;
  exclude?: string;
}

/** A reference to a plugin from `plugins:` (package name or path relative to the workflow). */
export interface PluginRef {
  specifier: string;
  location?: SourceLocation;
}

/** One task as written, resolved (before matrix expansion). */
export interface TaskSpec {
  /** The key under `tasks:`. */
  id: string;
  /** Display name (`name:`), default the id. */
  name: string;
  /**
   * The task type. Shell tasks are `run` (from `run:`) and `script` (from `script:`),
   * provided by the built-in `psr:shell` plugin; others come from `uses:`.
   */
  uses: string;
  /** Input for the task type; values may hold `${{ }}` expressions. */
  with: Record<string, unknown>;
  needs: string[];
  /** The `if:` expression without the `${{ }}` wrapper; default `success()`. */
  if?: string;
  env: Record<string, string>;
  retry: RetryPolicy;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  /** `continue-on-error: true`. False when it is an expression (see `continueOnErrorExpression`). */
  continueOnError: boolean;
  /**
   * `continue-on-error: ${{ … }}`, as expression text without the braces: evaluated per
   * instance when it fails; a truthy value continues.
   */
  continueOnErrorExpression?: string;
  matrix?: MatrixSpec;
  /** Working directory, relative to the workflow's directory. */
  workdir?: string;
  location?: SourceLocation;
  /** Source locations of each `needs` entry, same order as `needs` (for cycle reports). */
  needsLocations?: Array<SourceLocation | undefined>;
}

/** A loaded, validated workflow. */
export interface Workflow {
  version: 1;
  name: string;
  description?: string;
  /** Absolute path of the file it came from, or `<inline>`. */
  file: string;
  /** Directory that relative paths (plugins, scripts, workdir) are resolved against. */
  dir: string;
  /**
   * sha256 (hex) of the source text, recorded with each run. On a loaded workflow it is a
   * getter, computed on first read (validating never reads it).
   */
  hash: string;
  schedule: ScheduleSpec[];
  plugins: PluginRef[];
  inputs: Record<string, InputSpec>;
  env: Record<string, string>;
  concurrency?: number;
  /** Whole-run timeout in ms. */
  timeoutMs?: number;
  failFast: boolean;
  /** Tasks in the order written. */
  tasks: TaskSpec[];
}

/** Final state of a task instance. */
export type TaskStatus = 'success' | 'failure' | 'skipped' | 'cancelled';

/** Final state of one attempt. `timeout` and `cancelled` are failures of a special kind. */
export type AttemptStatus = 'success' | 'failure' | 'timeout' | 'cancelled' | 'error';

/** Final state of a run. */
export type RunStatus = 'success' | 'failure' | 'cancelled' | 'timeout';
