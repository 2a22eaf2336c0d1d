/**
 * The default executor: runs attempts in this process by calling the task type's `run`.
 */
import type { z } from 'zod';
import { ErrorCodes, PsrError } from '../errors.js';
import type { ExecutionRequest, Executor } from '../executor.js';
import type { TaskOutputs } from '../plugin.js';
import type { PluginRegistry, ResolvedTaskType } from '../plugins/registry.js';

/**
 * The input error of a task whose `with:` failed its schema at run time (a value from a `${{ }}`
 * expression: `fail-on: ${{ inputs.level }}`), in the words `psr validate` uses for a value
 * written in the file: the value that was given and what is allowed, not zod's own text.
 */
async function inputError(request: ExecutionRequest, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Promise<PsrError> {
  // Loaded on first use: importing @psr/core (every plugin does) must not load the loader's
  // "did you mean" library.
  const { schemaProblems } = await import('../workflow/schema-issues.js');
  const problems = schemaProblems(issues, { schema, valueAt: (path) => valueAt(request.input, path), rootName: 'with:' });
  const hints = [...new Set(problems.flatMap((p) => (p.hint ? [p.hint] : [])))];
  return new PsrError(ErrorCodes.TASK_INPUT, `task "${request.task.id}" (${request.task.uses}) with: ${problems.map((p) => p.message).join('; ')}`, {
    hint: hints.length > 0 ? hints.join('; ') : `check the with: keys of this task against the "${request.task.uses}" task type`,
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return v;
}

interface TypeIssue {
  code?: string;
  expected?: string;
  path: ReadonlyArray<PropertyKey>;
}

/**
 * A copy of `input` with scalars converted where the schema wanted another scalar type, or
 * undefined when there is nothing to convert. `${{ }}` keeps the type of a lone expression
 * (`"${{ tasks.a.outputs.n }}"` is the number 3), while command lines and `$PSR_OUTPUT` produce
 * strings: so `args: ["${{ tasks.a.outputs.n }}"]` must still satisfy a string schema, and
 * `max: "${{ inputs.limit }}"` a number schema when the input is a numeric string.
 */
function coerceScalars(input: Record<string, unknown>, issues: ReadonlyArray<TypeIssue>): Record<string, unknown> | undefined {
  const copy = structuredClone(input);
  let changed = false;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || issue.path.length === 0) continue;
    let parent: unknown = copy;
    for (const key of issue.path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown> | undefined)?.[key as string];
    if (typeof parent !== 'object' || parent === null) continue;
    const key = issue.path[issue.path.length - 1] as string;
    const value = (parent as Record<string, unknown>)[key];
    let next: unknown;
    if (issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) next = String(value);
    else if (issue.expected === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) next = Number(value);
    else if (issue.expected === 'boolean' && (value === 'true' || value === 'false')) next = value === 'true';
    else continue;
    (parent as Record<string, unknown>)[key] = next;
    changed = true;
  }
  return changed ? copy : undefined;
}

/**
 * Create the in-process executor: resolves `uses` through the registry (importing lazy
 * plugins on first use), parses `with:` with the task type's zod schema, calls `run`.
 *
 * A scalar of the wrong scalar type (the number `3` where the schema wants a string, the
 * string `"3"` where it wants a number, `"true"` for a boolean) is converted first, because
 * a lone `${{ }}` keeps its value's type.
 * An input that still does not match the schema rejects with `PsrError` `PSR_TASK_INPUT` listing
 * every issue (the engine records it as a failure of kind `input`, never retried).
 *
 * @example
 * ```ts
 * const registry = new PluginRegistry();
 * registry.register(myPlugin, './my-plugin.js');
 * const engine = createEngine({ registry, executor: createLocalExecutor(registry) });
 * ```
 */
export function createLocalExecutor(registry: PluginRegistry): Executor {
  const loading = new Map<string, Promise<void>>();

  const unknown = (uses: string): PsrError => {
    const providers = registry.providers(uses);
    return new PsrError(
      ErrorCodes.UNKNOWN_TASK_TYPE,
      providers.length > 1 ? `task type "${uses}" is provided by several plugins: ${providers.join(', ')}` : `unknown task type "${uses}"`,
      {
        hint:
          providers.length > 1
            ? `write uses: <plugin>/${uses}, e.g. ${providers[0]}/${uses}`
            : `known task types: ${registry.taskTypeNames().join(', ') || '(none)'}`,
      },
    );
  };

  /** Parse `with:` and call the task type. Rejects on bad input; throws (synchronously) when a synchronous `run` throws. */
  const run = (resolved: ResolvedTaskType, request: ExecutionRequest): Promise<TaskOutputs | void> | TaskOutputs | void => {
    let parsed = resolved.taskType.input.safeParse(request.input);
    if (!parsed.success) {
      const coerced = coerceScalars(request.input, parsed.error.issues);
      if (coerced) {
        const again = resolved.taskType.input.safeParse(coerced);
        if (again.success) parsed = again;
      }
    }
    if (!parsed.success) {
      const issues = parsed.error.issues;
      return inputError(request, resolved.taskType.input, issues).then((error) => Promise.reject(error));
    }
    return resolved.taskType.run(request.context, parsed.data);
  };

  const loadAndRun = async (request: ExecutionRequest): Promise<TaskOutputs | void> => {
    const uses = request.task.uses;
    let load = loading.get(uses);
    if (!load) {
      load = registry.load([uses]);
      loading.set(uses, load);
    }
    await load;
    const resolved = registry.resolve(uses);
    if (!resolved) throw unknown(uses);
    return await run(resolved, request);
  };

  return {
    name: 'local',
    // Not an async function on purpose: the usual case (plugin loaded) hands back the task's
    // own promise, saving a promise and its adoption ticks on every attempt.
    execute(request: ExecutionRequest): Promise<TaskOutputs | void> {
      const resolved = registry.resolve(request.task.uses);
      if (!resolved) return loadAndRun(request);
      try {
        const result = run(resolved, request);
        return result instanceof Promise ? result : Promise.resolve(result);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
