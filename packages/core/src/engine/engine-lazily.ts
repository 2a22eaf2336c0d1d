/**
 * The public `createEngine`: the scheduler (and with it graphology, @opentelemetry/api and
 * @actions/expressions) is imported when the first run starts, so importing `@psr/core` for
 * `definePlugin` or `loadWorkflow` stays light. A handle behaves exactly like the scheduler's:
 * its id is known at once, and `cancel`/`kill` called before the scheduler is loaded apply
 * as soon as the run exists (before any task starts).
 */
import type { RunEvent, RunResult } from '../events.js';
import type { Workflow } from '../model.js';
import { preloadActionsExpressions } from '../expressions/actions-expressions.js';
import { runHandle } from './run-handle.js';
import { newRunId } from './run-id.js';
import type { Engine, EngineOptions, RunHandle, RunOptions } from './types.js';

/**
 * Create an engine. It holds the plugin registry, the executor (in-process by default),
 * observers and the tracer; each `run` is independent.
 *
 * `run` returns at once with a {@link RunHandle}: `await` it for the {@link RunResult}
 * (every task's status, attempts, outputs and timings, in topological order), iterate it
 * with `for await` for the {@link RunEvent}s (buffered, so a late iterator sees all of them),
 * `cancel()` it for a graceful stop or `kill()` it to stop at once. The promise rejects only
 * when the run cannot start (invalid inputs: `PSR_INPUT`; an inconsistent workflow that did not
 * come from `loadWorkflow`); task failures are results, never rejections.
 *
 * @example
 * ```ts
 * import { createEngine, PluginRegistry, definePlugin, defineTask, z } from '@psr/core';
 *
 * const registry = new PluginRegistry();
 * registry.register(definePlugin({ name: 'demo', apiVersion: 1, tasks: {
 *   hello: defineTask({ description: 'greet', input: z.object({ who: z.string() }),
 *     run: (ctx, { who }) => { ctx.log.info(`hello ${who}`); return { greeted: who }; } }),
 * } }), './demo.js');
 *
 * const engine = createEngine({ registry });
 * const handle = engine.run(workflow, { inputs: { target: 'prod' }, concurrency: 4 });
 * for await (const event of handle) if (event.type === 'task-end') console.log(event.task.id, event.result.status);
 * const result = await handle;
 * console.log(result.status); // 'success' | 'failure' | 'cancelled' | 'timeout'
 * ```
 */
export function createEngine(options: EngineOptions): Engine {
  let scheduler: Promise<Engine> | undefined;
  return {
    run(workflow: Workflow, runOptions: RunOptions = {}): RunHandle {
      const id = runOptions.runId ?? newRunId();
      scheduler ??= Promise.all([import('./engine.js'), preloadActionsExpressions()]).then(([m]) => m.createEngine(options));
      let handle: RunHandle | undefined;
      const beforeStart: Array<(h: RunHandle) => void> = [];
      // Wrapped in an object: a handle is a thenable, and would otherwise be unwrapped to its result.
      const started = scheduler.then((engine) => {
        handle = engine.run(workflow, { ...runOptions, runId: id });
        for (const apply of beforeStart) apply(handle);
        return { handle };
      });
      const whenStarted = (apply: (h: RunHandle) => void): void => {
        if (handle) apply(handle);
        else beforeStart.push(apply);
      };
      return runHandle({
        id,
        result: started.then((s) => s.handle),
        cancel: (reason) => whenStarted((h) => h.cancel(reason)),
        kill: () => whenStarted((h) => h.kill()),
        events(): AsyncIterator<RunEvent> {
          if (handle) return handle[Symbol.asyncIterator]();
          const events = started.then((s) => s.handle[Symbol.asyncIterator]());
          return {
            next: () => events.then((it) => it.next()),
            return: (value?: unknown) => events.then((it) => it.return?.(value) ?? { done: true as const, value: undefined }),
          };
        },
      });
    },
  };
}
