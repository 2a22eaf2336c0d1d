import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Context, type ContextManager } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine.js';
import { testRegistry, testWorkflow } from './testWorkflow.js';

function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('psr-test');
  const spans = () => exporter.getFinishedSpans();
  const byName = (name: string) => {
    const found = spans().filter((s) => s.name === name);
    expect(found, `span ${name}`).toHaveLength(1);
    return found[0]!;
  };
  const childrenOf = (parent: ReadableSpan) => spans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
  return { tracer, spans, byName, childrenOf };
}

/** A synchronous stack context manager: enough for spans opened in a callback's synchronous part. */
class StackContextManager implements ContextManager {
  readonly #stack: Context[] = [ROOT_CONTEXT];
  active(): Context {
    return this.#stack[this.#stack.length - 1]!;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    this.#stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#stack.pop();
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

beforeAll(() => {
  context.setGlobalContextManager(new StackContextManager());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
});
afterAll(() => {
  propagation.disable();
  context.disable();
});

describe('engine tracing', () => {
  it('builds run → task → attempt spans with cicd.* attributes for success, failure, retry and skip', async () => {
    const { registry } = testRegistry();
    const { tracer, byName, childrenOf, spans } = setup();
    const wf = testWorkflow(
      {
        ok: { with: { outputs: { x: 1 } } },
        flaky: { with: { failUntil: 1 }, retry: { attempts: 2, delayMs: 5, maxDelayMs: 5 } },
        bad: { with: { fail: true, exitCode: 3 } },
        after: { needs: ['bad'] },
        m: { matrix: { axes: { py: ['3.12'] }, include: [], exclude: [] } },
      },
      { name: 'nightly' },
    );
    const result = await createEngine({ registry, tracer }).run(wf, { runId: 'r-1', attributes: { 'psr.trigger': 'schedule', 'psr.schedule.cron': '0 3 * * *' } });
    expect(result.status).toBe('failure');
    expect(result.run.traceId).toMatch(/^[0-9a-f]{32}$/);

    const root = byName('RUN nightly');
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes).toMatchObject({
      'cicd.pipeline.name': 'nightly',
      'cicd.pipeline.run.id': 'r-1',
      'cicd.pipeline.result': 'failure',
      'error.type': 'failure',
      'psr.trigger': 'schedule',
      'psr.schedule.cron': '0 3 * * *',
    });
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans().every((s) => s.spanContext().traceId === result.run.traceId)).toBe(true);

    const ok = byName('ok');
    expect(ok.kind).toBe(SpanKind.INTERNAL);
    expect(ok.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(ok.attributes).toMatchObject({
      'cicd.pipeline.name': 'nightly',
      'cicd.pipeline.run.id': 'r-1',
      'cicd.pipeline.task.name': 'ok',
      'cicd.pipeline.task.run.id': 'r-1/ok',
      'cicd.pipeline.task.run.result': 'success',
      'psr.task.uses': 'step',
      'psr.plugin': 'test-plugin',
    });
    const okAttempts = childrenOf(ok);
    expect(okAttempts.map((s) => s.name)).toEqual(['ok (attempt 1)']);
    expect(okAttempts[0]!.attributes).toMatchObject({ 'psr.attempt': 1, 'cicd.pipeline.task.run.result': 'success', 'cicd.pipeline.task.run.id': 'r-1/ok/1' });

    const flaky = byName('flaky');
    const flakyAttempts = childrenOf(flaky).sort((a, b) => Number(a.attributes['psr.attempt']) - Number(b.attributes['psr.attempt']));
    expect(flakyAttempts.map((s) => s.attributes['cicd.pipeline.task.run.result'])).toEqual(['failure', 'success']);
    expect(flakyAttempts[0]!.attributes['error.type']).toBe('exit');
    expect(flakyAttempts[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(flaky.attributes['cicd.pipeline.task.run.result']).toBe('success');
    const wait = flaky.events.find((e) => e.name === 'retry-wait');
    expect(wait?.attributes).toMatchObject({ 'psr.retry.delay_ms': 5, 'psr.attempt': 2 });

    const bad = byName('bad');
    expect(bad.attributes).toMatchObject({ 'cicd.pipeline.task.run.result': 'failure', 'error.type': 'exit' });
    expect(bad.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'step failed' });
    expect(childrenOf(bad)[0]!.attributes).toMatchObject({ 'psr.exit_code': 3, 'error.type': 'exit', 'cicd.pipeline.task.run.result': 'failure' });

    const after = byName('after');
    expect(after.attributes['cicd.pipeline.task.run.result']).toBe('skip');
    expect(after.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(childrenOf(after)).toHaveLength(0);

    const m = byName('m (py=3.12)');
    expect(m.attributes['psr.matrix.py']).toBe('3.12');
  });

  it('records timeout and cancellation results', async () => {
    const { registry } = testRegistry();
    const { tracer, byName, childrenOf } = setup();
    const wf = testWorkflow({ slow: { with: { sleepMs: 5000 }, timeoutMs: 50 }, hang: { with: { sleepMs: 5000 } } }, { name: 'tc' });
    const handle = createEngine({ registry, tracer }).run(wf);
    for await (const e of handle) if (e.type === 'task-end' && e.task.id === 'slow') break;
    handle.cancel();
    const result = await handle;
    expect(result.status).toBe('cancelled');
    const slow = byName('slow');
    expect(slow.attributes).toMatchObject({ 'cicd.pipeline.task.run.result': 'timeout', 'error.type': 'timeout' });
    expect(childrenOf(slow)[0]!.attributes).toMatchObject({ 'cicd.pipeline.task.run.result': 'timeout', 'error.type': 'timeout' });
    const hang = byName('hang');
    expect(hang.attributes['cicd.pipeline.task.run.result']).toBe('cancellation');
    expect(childrenOf(hang)[0]!.attributes['cicd.pipeline.task.run.result']).toBe('cancellation');
    expect(byName('RUN tc').attributes['cicd.pipeline.result']).toBe('cancellation');
  });

  it('continues an incoming TRACEPARENT and injects the attempt span into the task env', async () => {
    const { registry, contexts } = testRegistry();
    const { tracer, byName, childrenOf } = setup();
    const incomingTrace = '0af7651916cd43dd8448eb211c80319c';
    const incomingSpan = 'b7ad6b7169203331';
    const wf = testWorkflow({ a: {} }, { name: 'ci' });
    await createEngine({ registry, tracer }).run(wf, {
      env: { TRACEPARENT: `00-${incomingTrace}-${incomingSpan}-01`, BAGGAGE: 'team=psr' },
    });
    const root = byName('RUN ci');
    expect(root.spanContext().traceId).toBe(incomingTrace);
    expect(root.parentSpanContext?.spanId).toBe(incomingSpan);
    const attempt = childrenOf(byName('a'))[0]!;
    const env = contexts[0]!.env;
    expect(env.TRACEPARENT).toBe(`00-${incomingTrace}-${attempt.spanContext().spanId}-01`);
    expect(env.BAGGAGE).toBe('team=psr');
  });

  it('nests spans a task opens through ctx.tracer under its attempt, and never records secrets', async () => {
    const { tracer, byName, spans } = setup();
    const { PluginRegistry } = await import('../plugins/registry.js');
    const { definePlugin, defineTask } = await import('../plugin.js');
    const { z } = await import('zod');
    const registry = new PluginRegistry();
    registry.register(
      definePlugin({
        name: 'tracing-test',
        apiVersion: 1,
        tasks: {
          work: defineTask({
            description: 'opens a span',
            input: z.object({ m: z.record(z.string(), z.string()).default({}) }),
            async run(ctx) {
              const span = ctx.tracer.startSpan('download');
              span.end();
              await ctx.tracer.startActiveSpan('active', async (s) => {
                ctx.tracer.startSpan('inner').end();
                s.end();
              });
              throw new Error(`could not log in with ${ctx.secrets.PW}`);
            },
          }),
        },
      }),
      'x',
    );
    const wf = testWorkflow({ w: { uses: 'work', matrix: { axes: { pw: ['hunter22'] }, include: [], exclude: [] } } }, { name: 'sec' });
    const result = await createEngine({ registry, tracer }).run(wf, { secrets: { PW: 'hunter22' }, attributes: { note: 'pw hunter22' } });
    expect(result.tasks[0]!.attempts[0]!.failure!.message).toBe('could not log in with ***');
    const attempt = byName('w (pw=***) (attempt 1)');
    expect(byName('download').parentSpanContext?.spanId).toBe(attempt.spanContext().spanId);
    expect(byName('active').parentSpanContext?.spanId).toBe(attempt.spanContext().spanId);
    expect(byName('inner').parentSpanContext?.spanId).toBe(byName('active').spanContext().spanId);
    const everything = JSON.stringify(spans().map((s) => ({ a: s.attributes, e: s.events, st: s.status })));
    expect(everything).toContain('***');
    expect(everything).not.toContain('hunter22');
  });

  it('gives each instance of a dynamic matrix its own span, and a matrix that fails a span with the error', async () => {
    const { registry } = testRegistry();
    const { tracer, byName, spans } = setup();
    const dynamic = (expr: string) => ({ axes: { pkg: [] }, include: [], exclude: [], expressions: { axes: { pkg: expr } } });
    const wf = testWorkflow({
      list: { with: { outputs: { pkgs: '["a","b"]' } } },
      test: { needs: ['list'], matrix: dynamic('fromJSON(tasks.list.outputs.pkgs)') },
      bad: { needs: ['list'], matrix: dynamic('fromJSON(tasks.list.outputs.missing)') },
    });
    await createEngine({ registry, tracer }).run(wf);
    expect(byName('test (pkg=a)').attributes).toMatchObject({ 'psr.task.id': 'test', 'psr.matrix.pkg': 'a' });
    expect(byName('test (pkg=b) (attempt 1)').status.code).toBe(SpanStatusCode.UNSET);
    expect(spans().some((s) => s.name === 'test')).toBe(false);
    const bad = byName('bad');
    expect(bad.status.code).toBe(SpanStatusCode.ERROR);
    expect(bad.attributes).toMatchObject({ 'error.type': 'matrix' });
  });
});
