// Regenerate the published JSON Schema and the field reference in docs/report-format.md from
// the zod schema (run: pnpm --filter @psr/report schema). Tests fail when either is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { FIELD_REFERENCE_MARKERS, reportFieldReference, reportJsonSchema } from '../dist/schema.js';

const schemaFile = new URL('../schema/report.schema.json', import.meta.url);
await writeFile(schemaFile, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${schemaFile.pathname}`);

const docsFile = new URL('../../../docs/report-format.md', import.meta.url);
const docs = await readFile(docsFile, 'utf8');
const start = docs.indexOf(FIELD_REFERENCE_MARKERS.start);
const end = docs.indexOf(FIELD_REFERENCE_MARKERS.end);
if (start < 0 || end < start) throw new Error(`${docsFile.pathname}: generated-section markers not found`);
const updated = `${docs.slice(0, start + FIELD_REFERENCE_MARKERS.start.length)}\n\n${reportFieldReference()}\n\n${docs.slice(end)}`;
await writeFile(docsFile, updated);
console.log(`updated ${docsFile.pathname}`);
