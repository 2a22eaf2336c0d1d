import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWorkflowJsonSchema } from './json-schema.js';

const checkedIn = new URL('../../schema/workflow.schema.json', import.meta.url);

describe('schema/workflow.schema.json', () => {
  it('is current (regenerate with: pnpm --filter @psr/core gen:schema)', () => {
    expect(readFileSync(checkedIn, 'utf8')).toBe(`${JSON.stringify(buildWorkflowJsonSchema(), null, 2)}\n`);
  });

  it('describes every key, with a default or a documented default', () => {
    const missing: string[] = [];
    const visit = (node: Record<string, unknown>, path: string): void => {
      const props = node.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, prop] of Object.entries(props ?? {})) {
        if (typeof prop.description !== 'string' || (!('default' in prop) && !('x-default' in prop))) missing.push(`${path}${key}`);
        visit(prop, `${path}${key}.`);
      }
      for (const child of [node.additionalProperties, node.items, ...((node.anyOf as unknown[]) ?? [])]) {
        if (child && typeof child === 'object') visit(child as Record<string, unknown>, path);
      }
    };
    visit(buildWorkflowJsonSchema(), '');
    expect(missing).toEqual([]);
  });
});
