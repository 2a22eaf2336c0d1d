/**
 * The default executor: runs attempts in this process by calling the task type's `run`.
 */
import { ErrorCodes, PsrError } from '../errors.js';
import type { ExecutionRequest, Executor } from '../executor.js';
import type { TaskOutputs } from '../plugin.js';
import type { PluginRegistry } from '../plugins/registry.js';

function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => `${i.path.length > 0 ? `with.${i.path.map(String).join('.')}` : 'with'}: ${i.message}`).join('; ');
}

/**
 * Create the in-process executor: resolves `uses` through the registry (importing lazy
 * plugins on first use), parses `with:` with the task type's zod schema, calls `run`.
 *
 * An input that does not match the schema rejects with `PsrError` `PSR_TASK_INPUT` listing
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
  return {
    name: 'local',
    async execute(request: ExecutionRequest): Promise<TaskOutputs | void> {
      const uses = request.task.uses;
      let resolved = registry.resolve(uses);
      if (!resolved) {
        let load = loading.get(uses);
        if (!load) {
          load = registry.load([uses]);
          loading.set(uses, load);
        }
        await load;
        resolved = registry.resolve(uses);
      }
      if (!resolved) {
        const providers = registry.providers(uses);
        throw new PsrError(
          ErrorCodes.UNKNOWN_TASK_TYPE,
          providers.length > 1 ? `task type "${uses}" is provided by several plugins: ${providers.join(', ')}` : `unknown task type "${uses}"`,
          {
            hint:
              providers.length > 1
                ? `write uses: <plugin>/${uses}, e.g. ${providers[0]}/${uses}`
                : `known task types: ${registry.taskTypeNames().join(', ') || '(none)'}`,
          },
        );
      }
      const parsed = resolved.taskType.input.safeParse(request.input);
      if (!parsed.success) {
        throw new PsrError(ErrorCodes.TASK_INPUT, `task "${request.task.id}": invalid input for ${uses}: ${describeIssues(parsed.error.issues)}`, {
          hint: `check the with: keys of this task against the "${uses}" task type`,
        });
      }
      return await resolved.taskType.run(request.context, parsed.data);
    },
  };
}
