import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { PLANTED_SECRET, comparedReport, sampleReport } from '../fixtures/sample-report.js';
import { reportJsonSchema } from './report-schema.js';
import { FIELD_REFERENCE_MARKERS, reportFieldReference } from './report-schema-docs.js';
import { renderJson } from './render/json.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

async function committedSchema(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(new URL('../schema/report.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

function validator(schema: Record<string, unknown>) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('report JSON Schema', () => {
  it('is committed and current (regenerate with `pnpm --filter @psr/report schema`)', async () => {
    expect(await committedSchema()).toEqual(reportJsonSchema());
  });

  it('accepts renderJson output', async () => {
    const validate = validator(await committedSchema());
    const json = JSON.parse(renderJson(sampleReport())) as unknown;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const compared = JSON.parse(renderJson(comparedReport())) as { schemaVersion: string; baseline: unknown };
    expect(validate(compared), JSON.stringify(validate.errors)).toBe(true);
    expect([compared.schemaVersion, Object.keys(compared)]).toEqual(['1.2.0', ['schemaVersion', 'tool', 'run', 'dataSources', 'summary', 'baseline', 'findings', 'warnings', 'errors']]);
  });

  it('rejects reports with a wrong severity, an unknown field or a missing fingerprint', async () => {
    const validate = validator(await committedSchema());
    const good = JSON.parse(renderJson(sampleReport())) as { findings: Record<string, unknown>[] };
    const badSeverity = structuredClone(good);
    badSeverity.findings[0]!.severity = 'severe';
    expect(validate(badSeverity)).toBe(false);
    const extra = structuredClone(good);
    extra.findings[0]!.secretValue = PLANTED_SECRET;
    expect(validate(extra)).toBe(false);
    const noFingerprint = structuredClone(good);
    delete noFingerprint.findings[0]!.fingerprint;
    expect(validate(noFingerprint)).toBe(false);
  });
});

describe('docs/report-format.md', () => {
  it('has the current generated field reference (regenerate with `pnpm --filter @psr/report schema`)', async () => {
    const docs = await readFile(new URL('../../../docs/report-format.md', import.meta.url), 'utf8');
    const start = docs.indexOf(FIELD_REFERENCE_MARKERS.start) + FIELD_REFERENCE_MARKERS.start.length;
    const end = docs.indexOf(FIELD_REFERENCE_MARKERS.end);
    expect(docs.slice(start, end).trim()).toBe(reportFieldReference());
    expect(reportFieldReference()).toContain('| `fingerprint` | string | yes |');
  });
});
