// @psr/report/schema: the report format as a zod schema, its JSON Schema and field reference,
// and the validating parser. A separate entry so the main one never loads zod.
export { FindingSchema, ReportSchema, REPORT_SCHEMA_ID, reportJsonSchema } from './report-schema.js';
export { reportFieldReference, FIELD_REFERENCE_MARKERS } from './report-schema-docs.js';
export { parseReport } from './parse-report.js';
