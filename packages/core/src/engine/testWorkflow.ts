/**
 * Test-only: build resolved `Workflow` objects and an in-process plugin whose tasks sleep,
 * fail, print and return outputs on command, recording what ran when.
 * @internal Not exported from the package.
 */
import { z } from 'zod';
import type { RetryPolicy, TaskSpec, Workflow } from '../model.js';
import { TaskFailure, definePlugin, defineTask, type TaskContext } from '../plugin.js';
import { PluginRegistry } from '../plugins/registry.js';

/** A task as tests write it: everything optional but the id (given by the key). */
export type TestTask = Partial<Omit<TaskSpec, 'retry'>> & { retry?: Partial<RetryPolicy> };

/** Build a resolved workflow the way `loadWorkflow` would, with defaults filled in. */
export function testWorkflow(tasks: Record<string, TestTask>, extra: Partial<Workflow> = {}): Workflow {
  return {
    version: 1,
    name: 'test',
    file: '<inline>',
    dir: process.cwd(),
    hash: '0',
    schedule: [],
    plugins: [],
    inputs: {},
    env: {},
    failFast: false,
    ...extra,
    tasks: Object.entries(tasks).map(([id, t]) => ({
      name: id,
      uses: 'step',
      with: {},
      needs: [],
      env: {},
      continueOnError: false,
      ...t,
      id,
      retry: { attempts: 1, backoff: 'fixed', delayMs: 0, maxDelayMs: 0, jitter: false, ...t.retry },
    })),
  };
}

/** What one attempt of a test task did. */
export interface TestCall {
  instanceId: string;
  attempt: number;
  input: Record<string, unknown>;
  env: Readonly<Record<string, string>>;
  start: number;
  end: number;
  aborted?: string;
  killed?: boolean;
}

const stepInput = z.object({
  /** Sleep this long (aborted by ctx.signal unless ignoreSignal). */
  sleepMs: z.number().default(0),
  /** Ignore ctx.signal (but obey ctx.killSignal). */
  ignoreSignal: z.boolean().default(false),
  /** Fail attempts up to and including this number (e.g. 2: attempts 1 and 2 fail). */
  failUntil: z.number().default(0),
  /** Fail every attempt. */
  fail: z.boolean().default(false),
  kind: z.string().default('exit'),
  exitCode: z.number().default(1),
  /** The TaskFailure's `retryable` (false: another attempt would give the same answer). */
  retryable: z.boolean().default(true),
  /** Throw a plain Error instead of a TaskFailure. */
  crash: z.boolean().default(false),
  outputs: z.record(z.string(), z.any()).default({}),
  log: z.array(z.string()).default([]),
  stdout: z.array(z.string()).default([]),
  message: z.string().default('step failed'),
});

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A registry holding the `test` plugin (task type `step`), and the log of its calls. */
export function testRegistry(): { registry: PluginRegistry; calls: TestCall[]; contexts: TaskContext[] } {
  const calls: TestCall[] = [];
  const contexts: TaskContext[] = [];
  const plugin = definePlugin({
    name: 'test',
    apiVersion: 1,
    tasks: {
      step: defineTask({
        description: 'a scripted test step',
        input: stepInput,
        async run(ctx, input) {
          const call: TestCall = { instanceId: ctx.task.instanceId, attempt: ctx.attempt, input, env: ctx.env, start: performance.now(), end: 0 };
          calls.push(call);
          contexts.push(ctx);
          ctx.killSignal.addEventListener('abort', () => (call.killed = true), { once: true });
          try {
            for (const l of input.log) ctx.log.info(l);
            for (const c of input.stdout) ctx.log.stdout(c);
            if (input.sleepMs > 0) {
              await sleep(input.sleepMs, input.ignoreSignal ? ctx.killSignal : ctx.signal).catch((e: Error) => {
                call.aborted = e?.name;
                throw e;
              });
            }
            if (input.crash) throw new Error(input.message);
            if (input.fail || ctx.attempt <= input.failUntil) {
              throw new TaskFailure(input.message, { kind: input.kind, exitCode: input.exitCode, outputs: input.outputs, retryable: input.retryable });
            }
            return input.outputs;
          } finally {
            call.end = performance.now();
          }
        },
      }),
    },
  });
  const registry = new PluginRegistry();
  registry.register(plugin, 'test-plugin');
  return { registry, calls, contexts };
}
