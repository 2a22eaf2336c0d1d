import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceFile, updateReference } from '../../scripts/workflow-reference.mjs';
import { buildWorkflowJsonSchema } from './json-schema.js';

describe('docs/workflow-language.md', () => {
  const markdown = readFileSync(referenceFile, 'utf8');

  it('has key tables generated from the current schema (regenerate with: pnpm --filter @psr/core gen:schema)', () => {
    expect(markdown).toBe(updateReference(markdown, buildWorkflowJsonSchema()));
  });

  it('documents every top-level and task key', () => {
    const schema = buildWorkflowJsonSchema() as { properties: Record<string, { additionalProperties?: { properties?: object } }> };
    const keys = [...Object.keys(schema.properties), ...Object.keys(schema.properties.tasks!.additionalProperties!.properties!)];
    for (const key of keys) expect(markdown, key).toContain(`| \`${key}\` |`);
  });
});
