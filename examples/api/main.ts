/**
 * Embedding psr: load a workflow, run it with an in-process plugin, watch the events,
 * read the result. Run it with `pnpm --filter @psr/example-api build && pnpm --filter @psr/example-api start`.
 */
import { pathToFileURL } from 'node:url';
import {
  createEngine,
  definePlugin,
  defineTask,
  formatDiagnostic,
  isPsrError,
  loadWorkflow,
  PluginRegistry,
  PsrAggregateError,
  TaskFailure,
  z,
  type RunEvent,
  type RunResult,
} from '@psr/core';

/** A plugin defined inline: two task types with zod-typed inputs. */
export const inventory = definePlugin({
  name: 'inventory',
  apiVersion: 1,
  tasks: {
    count: defineTask({
      description: 'Count the items of a comma-separated list',
      input: z.object({ items: z.string(), max: z.number().int().positive().default(10) }),
      run(ctx, { items, max }) {
        const list = items.split(',').map((s) => s.trim()).filter(Boolean);
        ctx.log.info(`counted ${list.length} items for ${ctx.task.instanceId}`);
        if (list.length > max) throw new TaskFailure(`${list.length} items is more than ${max}`, { kind: 'limit', outputs: { total: list.length } });
        return { total: list.length, first: list[0] ?? null };
      },
    }),
    publish: defineTask({
      description: 'Pretend to publish a report with a token',
      input: z.object({ summary: z.string(), token: z.string() }),
      async run(ctx, { summary, token }) {
        // The token is a secret: psr masks it as *** in this log line and everywhere else.
        ctx.log.info(`publishing "${summary}" with token ${token}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { published: true };
      },
    }),
  },
});

/** The workflow, as YAML a user would write. */
export const WORKFLOW = `
version: 1
name: api-example
inputs:
  shelf: { type: string, default: "apples, pears, plums" }
  limit: { type: number, default: 10 }
tasks:
  fruit:
    uses: count
    with: { items: "\${{ inputs.shelf }}", max: "\${{ inputs.limit }}" }
  veg:
    uses: count
    with: { items: "leeks, kale" }
  report:
    needs: [fruit, veg]
    uses: publish
    with:
      summary: "\${{ tasks.fruit.outputs.total }} fruit, \${{ tasks.veg.outputs.total }} veg"
      token: "\${{ secrets.REPORT_TOKEN }}"
  on-failure:
    needs: [report]
    if: \${{ failure() }}
    uses: count
    with: { items: "alarm" }
`;

/** Run the example workflow; returns the result and the lines it printed. */
export async function runExample(options: { inputs?: Record<string, string>; token?: string } = {}): Promise<{ result: RunResult; lines: string[] }> {
  const registry = new PluginRegistry();
  registry.register(inventory, 'examples/api/main.ts');
  const workflow = await loadWorkflow({ text: WORKFLOW, file: 'api-example.yml' }, { registry });

  const lines: string[] = [];
  const engine = createEngine({
    registry,
    observers: [{ onTaskEnd: (e) => void lines.push(`${e.task.id}: ${e.result.status}`) }],
  });
  const handle = engine.run(workflow, {
    inputs: options.inputs ?? {},
    secrets: { REPORT_TOKEN: options.token ?? 'tok-123456' },
    concurrency: 2,
  });
  // Events are buffered: iterating after starting misses nothing.
  for await (const event of handle as AsyncIterable<RunEvent>) {
    if (event.type === 'output') lines.push(`  [${event.task.id}] ${event.text}`);
  }
  const result = await handle;
  lines.push(`run ${result.status} in ${Math.round(result.durationMs)} ms`);
  return { result, lines };
}

async function main(): Promise<number> {
  try {
    const { result, lines } = await runExample({ inputs: Object.fromEntries(process.argv.slice(2).map((a) => a.split('=', 2) as [string, string])) });
    for (const line of lines) console.log(line);
    return result.status === 'success' ? 0 : 1;
  } catch (error) {
    if (error instanceof PsrAggregateError) for (const p of error.problems) console.error(formatDiagnostic(p));
    else if (isPsrError(error)) console.error(formatDiagnostic(error.toDiagnostic()));
    else throw error;
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
