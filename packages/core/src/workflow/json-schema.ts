/**
 * The JSON Schema of workflow files, generated from the zod schema (the one source of truth)
 * for editors: `# yaml-language-server: $schema=<path>/workflow.schema.json`.
 */
import { z } from 'zod';
import { userWorkflowSchema } from './schema.js';

/** The JSON Schema (draft 2020-12) of what people write in a workflow file. */
export function buildWorkflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(userWorkflowSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  // Top-level `x-*` keys hold YAML anchors for reuse (`x-common: &common`); the loader ignores them.
  schema.patternProperties = { '^x-': { description: 'Free for YAML anchors (`x-common: &common`); ignored by psr.' } };
  return schema;
}
