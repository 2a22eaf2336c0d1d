/**
 * The schema of the workflow file as people write it (`UserWorkflow`): the one source of
 * truth for every key, its description and its default. The JSON Schema for editors
 * (`schema/workflow.schema.json`) and the key tables of docs/workflow-language.md are
 * generated from it. Values the schema leaves loose on purpose (durations, cron, expressions,
 * matrices) are checked by the named rules in ./rules, which give more precise messages.
 */
import { z } from 'zod';

/**
 * Attach the description and the documented default of a key. `defaultText` is for defaults
 * that are not a fixed value (for example "the file name"); it lands in the docs and the
 * JSON Schema as `x-default`.
 */
function describe<T extends z.ZodType>(schema: T, description: string, defaultText?: string): T {
  // Registered in place rather than with `.meta()`, which clones the schema: building the
  // workflow schema is on the start-up path of every `psr validate` and `psr run`.
  z.globalRegistry.add(schema, defaultText === undefined ? { description } : { description, 'x-default': defaultText });
  return schema;
}

/**
 * A key whose default is applied by merging (task `retry` keys fall back to `defaults.retry`
 * keys, then to this value), so the schema must not fill it in itself; the value still
 * reaches editors and docs as the JSON Schema `default`.
 */
function mergedDefault<T extends z.ZodType>(schema: T, description: string, value: unknown): z.ZodOptional<T> {
  const optional = schema.optional();
  z.globalRegistry.add(optional, { description, default: value });
  return optional;
}

/** Task ids: usable in expressions (`tasks.<id>`) and in matrix instance ids. */
export const TASK_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const duration = z.union([z.string(), z.number()]);

const envMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const retrySchema = z.union([
  z.number().int().min(1),
  z.strictObject({
    attempts: mergedDefault(z.number().int().min(1), 'Total tries, the first one included.', 1),
    backoff: mergedDefault(z.enum(['fixed', 'exponential']), 'How the wait grows between attempts: `fixed` keeps `delay`, `exponential` doubles it each time.', 'fixed'),
    delay: mergedDefault(duration, 'Wait before the second attempt (a duration).', '1s'),
    'max-delay': mergedDefault(duration, 'Upper bound of any single wait (a duration).', '1m'),
    jitter: mergedDefault(z.boolean(), 'Randomise each wait uniformly in [0, wait] (full jitter) so retries of many tasks do not align.', false),
    on: describe(
      z.array(z.union([z.number().int(), z.string()])).optional(),
      'Only retry these failures: exit codes (numbers) or error kinds (`timeout`, `error`, `network`, `exit`, or a plugin\'s own kind).',
      'any failure',
    ),
    budget: describe(duration.optional(), 'Retry budget: total time across all attempts and waits of the task; no new attempt starts once it is spent.', 'no budget'),
  }),
]);

const scheduleSchema = z.strictObject({
  cron: describe(z.string(), 'Cron expression: 5 fields (`min hour day month weekday`) or 6 with seconds first.', 'required'),
  timezone: describe(z.string().default('UTC'), 'IANA timezone the cron expression is read in (`Europe/Berlin`).'),
  overlap: describe(z.enum(['skip', 'queue', 'allow']).default('skip'), 'What to do when the previous run of this schedule is still going: `skip` this fire, `queue` it until the previous run ends, or `allow` both at once.'),
  'catch-up': describe(z.enum(['none', 'last']).default('none'), 'Whether one fire missed while the scheduler was down runs on start (`last`) or not (`none`).'),
});

const inputSchema = z.strictObject({
  type: describe(z.enum(['string', 'number', 'boolean']).default('string'), 'Type that `--input name=value` is converted to.'),
  description: describe(z.string().optional(), 'Shown by `psr run --help`-style listings.', 'none'),
  default: describe(z.union([z.string(), z.number(), z.boolean()]).optional(), 'Value used when the run gives none.', 'none (the input is required)'),
  enum: describe(z.array(z.union([z.string(), z.number(), z.boolean()])).optional(), 'The only values allowed.', 'any value of the type'),
  required: describe(z.boolean().optional(), 'Refuse to start the run without a value.', 'true when there is no `default`'),
});

const matrixSchema = z.union([z.record(z.string(), z.unknown()), z.string()]);

const strategySchema = z.strictObject({
  matrix: describe(
    matrixSchema,
    'Axes (`name: [values]`) whose combinations each become one task instance, plus optional `include:` (extra or extended combinations) and `exclude:` (combinations to drop). The whole matrix, an axis, `include` or `exclude` may be one `${{ }}` expression evaluated when the task\'s needs are done (a dynamic matrix).',
    'required',
  ),
  'max-parallel': describe(z.number().int().optional(), 'At most this many instances of this task run at once.', 'no limit beyond `concurrency`'),
  'fail-fast': describe(
    z.boolean().default(false),
    'The first failed instance (not continued by `continue-on-error`) cancels the other instances of this task: running ones are stopped, the rest do not start. Other tasks go on (unless the run-level `fail-fast` is on). GitHub Actions defaults to `true`; psr defaults to `false`, like the run-level `fail-fast`.',
  ),
});

export const taskSchema = z.strictObject({
  name: describe(z.string().optional(), 'Display name.', 'the task id'),
  uses: describe(z.string().optional(), 'Task type from a plugin (`scan`, or `<plugin>/<task>` when two plugins provide the same name). Exactly one of `uses`, `run`, `script`.', 'none'),
  with: describe(z.record(z.string(), z.unknown()).default({}), 'Input of the task type, checked against its schema; values may hold `${{ }}` expressions.'),
  run: describe(z.string().optional(), 'Shell command(s) to run (task type `run`).', 'none'),
  script: describe(z.string().optional(), 'Script file to run, relative to the task\'s working directory (the workflow file\'s directory by default); the interpreter follows the extension (.py → python3, .js/.mjs/.cjs → node, .ts/.mts → node with tsx, .sh → bash) unless `shell:` is set (task type `script`).', 'none'),
  args: describe(z.array(z.union([z.string(), z.number(), z.boolean()])).optional(), 'Arguments passed to `script:`.', 'none'),
  shell: describe(z.string().optional(), 'Shell or interpreter for `run:`/`script:`: a name (`bash`, `sh`, `python3`, `node`) or a command template where `{0}` is the script file.', '`defaults.shell`, else `bash --noprofile --norc -eo pipefail {0}` when bash is installed, `sh -e {0}` otherwise'),
  needs: describe(z.union([z.string(), z.array(z.string())]).default([]), 'Tasks that must finish before this one starts (an id or a list of ids).'),
  if: describe(
    z.union([z.string(), z.boolean()]).optional(),
    'Condition, with or without `${{ }}`; status functions `success()`, `failure()`, `always()`, `cancelled()`.',
    '`success()`',
  ),
  env: describe(envMap.default({}), 'Environment variables for this task, added to the workflow `env` and `defaults.env`.'),
  retry: describe(retrySchema.optional(), 'Retry policy: a number of attempts or an object.', '`defaults.retry`'),
  timeout: describe(duration.optional(), 'Per-attempt time limit (a duration).', '`defaults.timeout`'),
  'continue-on-error': describe(
    z.union([z.boolean(), z.string()]).default(false),
    'A failure is recorded but does not fail the run or skip dependents. May be one `${{ }}` expression, evaluated per instance when it fails (reads inputs, env, matrix, run and tasks it needs; truthy means continue).',
  ),
  strategy: describe(strategySchema.optional(), 'Run the task once per matrix combination.', 'none'),
  'working-directory': describe(z.string().optional(), 'Working directory, relative to the workflow file\'s directory.', 'the workflow file\'s directory'),
});

const defaultsSchema = z.strictObject({
  retry: describe(retrySchema.optional(), 'Retry policy of every task that has none.', '`{ attempts: 1 }`'),
  timeout: describe(duration.optional(), 'Per-attempt timeout of every task that has none.', 'no timeout'),
  shell: describe(z.string().optional(), 'Shell of every `run:`/`script:` task that names none.', '`bash --noprofile --norc -eo pipefail {0}` when bash is installed, `sh -e {0}` otherwise'),
  env: describe(envMap.default({}), 'Environment of every task (below the task\'s own `env`).'),
});

const onSchema = z.strictObject({
  schedule: describe(z.array(scheduleSchema).default([]), 'Cron schedules for `psr schedule`.'),
});

/** The schema of a workflow file. */
export const userWorkflowSchema = z
  .strictObject({
    $schema: describe(z.string().optional(), 'JSON Schema for editors; ignored by psr.', 'none'),
    version: describe(z.literal(1).default(1), 'Workflow language version.'),
    name: describe(z.string().optional(), 'Workflow name, shown in output and history.', 'the file name without extension'),
    description: describe(z.string().optional(), 'What the workflow does.', 'none'),
    on: describe(onSchema.default({ schedule: [] }), 'Triggers besides `psr run`.'),
    plugins: describe(z.array(z.string()).default([]), 'Plugins to load: npm package names or paths relative to the workflow file. Built-ins (`run:`, `script:`) need no entry.'),
    inputs: describe(z.record(z.string(), inputSchema).default({}), 'Typed run inputs, set with `psr run --input name=value`, read as `${{ inputs.name }}`.'),
    env: describe(envMap.default({}), 'Environment variables for every task.'),
    concurrency: describe(z.number().int().min(1).optional(), 'Most tasks in flight at once (the CLI\'s `-j` overrides).', 'the number of CPU cores'),
    timeout: describe(duration.optional(), 'Whole-run time limit (a duration).', 'no limit'),
    'fail-fast': describe(z.boolean().default(false), 'The first failure cancels everything still running.'),
    defaults: describe(defaultsSchema.default({ env: {} }), 'Defaults for every task.'),
    tasks: describe(z.record(z.string().regex(TASK_ID_PATTERN), taskSchema), 'The tasks, by id.', 'required'),
  })
  .meta({
    title: 'psr workflow',
    description: 'A psr workflow file (see docs/workflow-language.md).',
  });

/** What people write, after schema defaults. */
export type UserWorkflow = z.output<typeof userWorkflowSchema>;
export type UserTask = z.output<typeof taskSchema>;
export type UserRetry = z.output<typeof retrySchema>;
