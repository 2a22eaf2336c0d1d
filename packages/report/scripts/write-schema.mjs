// Regenerate schema/report.schema.json from the zod schema (run: pnpm --filter @psr/report schema).
// `src/report-schema.test.ts` fails when the committed file is out of date.
import { writeFile } from 'node:fs/promises';
import { reportJsonSchema } from '../dist/index.js';

const target = new URL('../schema/report.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
