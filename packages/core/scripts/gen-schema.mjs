// Writes schema/workflow.schema.json from the built package (run: pnpm --filter @psr/core gen:schema).
// The vitest test src/workflow/json-schema.test.ts fails when the checked-in file is stale.
import { writeFileSync, renameSync } from 'node:fs';
import { workflowJsonSchema } from '../dist/index.js';

const target = new URL('../schema/workflow.schema.json', import.meta.url);
const temp = new URL('../schema/.workflow.schema.json.tmp', import.meta.url);
writeFileSync(temp, `${JSON.stringify(await workflowJsonSchema(), null, 2)}\n`);
renameSync(temp, target);
console.log(`wrote ${target.pathname}`);
