/**
 * `createEngine(options)` → `engine.run(workflow, options)`: the programmatic entry point.
 */
import type { RunEvent, RunResult } from '../events.js';
import type { Workflow } from '../model.js';
import { createLocalExecutor } from './localExecutor.js';
import { runHandle } from './run-handle.js';
import type { Engine, EngineOptions, RunHandle, RunOptions } from './types.js';
import { WorkflowRun } from './WorkflowRun.js';

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
  const executor = options.executor ?? createLocalExecutor(options.registry);
  return {
    run(workflow: Workflow, runOptions: RunOptions = {}): RunHandle {
      const run = new WorkflowRun(workflow, runOptions, options, executor);
      // Start on a later tick so the caller holds the handle before any task runs.
      return runHandle({
        id: run.id,
        result: Promise.resolve().then(() => run.execute()),
        cancel: (reason) => run.cancel(reason),
        kill: () => run.kill(),
        events: () => run.stream.iterate(),
      });
    },
  };
}
