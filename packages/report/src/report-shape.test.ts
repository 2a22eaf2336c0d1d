import { describe, expect, it } from 'vitest';
import { comparedReport } from '../fixtures/sample-report.js';
import { renderJson } from './render/json.js';
import { ReportSchema, reportJsonSchema } from './report-schema.js';
import { matchesReportSchema, validReportOf } from './report-shape.js';
import type { Report } from './report.js';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
}
type Path = Array<string | number>;

/** A report with every field of the format set somewhere (the test below checks that it is). */
function everyField(): Record<string, unknown> {
  const data = JSON.parse(renderJson(comparedReport())) as Record<string, any>;
  data.tool.informationUri = 'https://example.com/psr';
  data.run.omitted = { groups: ['dev', 'group:docs'], dependencies: 12 };
  data.warnings[0].hint = 'pin it';
  Object.assign(data.warnings[0].location, { endLine: 5, endCol: 9 });
  data.errors = [structuredClone(data.warnings[0])];
  data.findings[0].locations[0].endLine = 7;
  data.findings.find((f: { package?: unknown }) => f.package).package.group = 'dev';
  data.baseline.resolvedFindings.push(...structuredClone(data.findings));
  return data;
}

/** Every field path of the schema (`findings[].package.name`), values of `properties` aside. */
function fieldsOf(schema: JsonSchema, at = '', out = new Set<string>()): Set<string> {
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    out.add(`${at}.${key}`);
    fieldsOf(sub, `${at}.${key}`, out);
  }
  if (schema.items) fieldsOf(schema.items, `${at}[]`, out);
  return out;
}

/** Where each field path first occurs in `value`, with its schema and whether it is required. */
function sitesOf(schema: JsonSchema, value: unknown, path: Path = [], at = '', out = new Map<string, { path: Path; schema: JsonSchema; required: boolean }>()) {
  if (schema.properties && typeof value === 'object' && value !== null) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (!out.has(`${at}.${key}`)) out.set(`${at}.${key}`, { path: [...path, key], schema: sub, required: schema.required?.includes(key) ?? false });
      sitesOf(sub, v, [...path, key], `${at}.${key}`, out);
    }
  }
  if (schema.items && Array.isArray(value)) value.forEach((item, i) => sitesOf(schema.items!, item, [...path, i], `${at}[]`, out));
  return out;
}

/** Values that break (or sit on the edge of) what `schema` allows. */
function trialValues(schema: JsonSchema): unknown[] {
  const values: unknown[] = [null];
  switch (schema.type) {
    case 'string':
      values.push(7, 'not-an-allowed-value', '', '1.2');
      break;
    case 'number':
    case 'integer':
      values.push('1', 1.5, -1, 0, 1, 10, 10.5, 2 ** 53);
      if (schema.minimum !== undefined) values.push(schema.minimum, schema.minimum - 0.5);
      if (schema.maximum !== undefined) values.push(schema.maximum, schema.maximum + 1);
      break;
    case 'boolean':
      values.push('true', 0);
      break;
    case 'array':
      values.push({}, 'x', [], [7], [{}], [null]);
      break;
    case 'object':
      values.push([], 'x', {});
      break;
  }
  return values;
}

function withValue(data: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(data) as Record<string | number, any>;
  const parent = path.slice(0, -1).reduce((o: any, k) => o[k], copy);
  if (value === undefined) delete parent[path.at(-1)!];
  else parent[path.at(-1)!] = value;
  return copy;
}

/** The hand-written check and zod agree on `data`: both refuse it, or both take it and keep the same fields. */
function expectSameVerdict(data: unknown, what: string): boolean {
  const byZod = ReportSchema.safeParse(structuredClone(data));
  const mine = structuredClone(data);
  expect(matchesReportSchema(mine), what).toBe(byZod.success);
  if (byZod.success) expect(mine, what).toEqual(byZod.data);
  return byZod.success;
}

describe('matchesReportSchema', () => {
  it('is tried on a report that sets every field of the format (a new field needs a value here and a check in report-shape.ts)', () => {
    const schema = reportJsonSchema() as JsonSchema;
    expect([...fieldsOf(schema)].filter((f) => !sitesOf(schema, everyField()).has(f))).toEqual([]);
  });

  it('accepts and refuses exactly what the zod schema does, field by field, and drops unknown keys as it does', () => {
    const schema = reportJsonSchema() as JsonSchema;
    const data = everyField();
    expect(expectSameVerdict(data, 'the report itself')).toBe(true);
    let refused = 0;
    let trials = 0;
    for (const [field, site] of sitesOf(schema, data)) {
      const trials_ = [...trialValues(site.schema), undefined];
      for (const value of trials_) {
        trials++;
        if (!expectSameVerdict(withValue(data, site.path, value), `${field} = ${JSON.stringify(value) ?? 'absent'}`)) refused++;
      }
      if (site.schema.type === 'object' && site.schema.properties)
        expect(expectSameVerdict(withValue(data, [...site.path, 'fieldOfANewerMinor'], { x: 1 }), `${field}.fieldOfANewerMinor`)).toBe(true);
    }
    expect(expectSameVerdict({ ...data, fieldOfANewerMinor: 1 }, 'a top-level unknown field')).toBe(true);
    // Not a vacuous agreement: most trial values are refused.
    expect(refused).toBeGreaterThan(trials / 2);
  });

  it('agrees with zod on what hostile JSON parses to: 1e400 (Infinity), -0, __proto__ and constructor keys', () => {
    const text = renderJson(comparedReport());
    const withProperties = (json: string): string => text.replace('"findings": [\n    {', `"findings": [\n    {"properties": ${json},`);
    const cases: Array<[string, string, boolean]> = [
      ['durationMs 1e400', text.replace(/"durationMs": [\d.]+/, '"durationMs": 1e400'), false],
      ['durationMs -0', text.replace(/"durationMs": [\d.]+/, '"durationMs": -0'), true],
      ['a count of -0', text.replace(/"total": \d+/, '"total": -0'), true],
      ['score -1e400', text.replace(/"score": [\d.]+/, '"score": -1e400'), false],
      ['a property of 1e400', withProperties('{"a": 1e400}'), false],
      ['a property nested with -1e400', withProperties('{"a": {"b": [1, -1e400]}}'), false],
      ['a __proto__ property', withProperties('{"__proto__": {"polluted": 1}, "a": 1}'), true],
      ['a nested __proto__ property', withProperties('{"a": [{"__proto__": {"polluted": 1}, "b": 2}]}'), true],
      ['constructor and toString fields', text.replace('"findings": [\n    {', '"findings": [\n    {"constructor": {"x": 1}, "toString": 1, "__proto__": {"id": "X"},'), true],
    ];
    expect(text).toContain('"findings": [\n    {');
    for (const [what, json, valid] of cases) expect(expectSameVerdict(JSON.parse(json), what), what).toBe(valid);
    const data = JSON.parse(withProperties('{"a": [{"__proto__": {"polluted": 1}, "b": 2}]}')) as Report;
    expect(matchesReportSchema(data)).toBe(true);
    const kept = data.findings[0]!.properties!['a'] as Array<Record<string, unknown>>;
    expect(Object.keys(kept[0]!)).toEqual(['b']);
    expect(Object.getPrototypeOf(kept[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('leaves properties nested too deeply for zod to zod (which parseReport turns into an error)', () => {
    const text = renderJson(comparedReport()).replace('"findings": [\n    {', `"findings": [\n    {"properties": {"a": ${'['.repeat(5000)}${']'.repeat(5000)}},`);
    expect(matchesReportSchema(JSON.parse(text))).toBe(false);
    expect(matchesReportSchema(JSON.parse(text.replace(/\[{5000}/, '['.repeat(200)).replace(/\]{5000}/, ']'.repeat(200))))).toBe(true);
  });

  it('agrees with zod on 2,000 seeded random edits of a report (values of every JSON kind, anywhere, hostile keys too)', () => {
    let seed = 5;
    // The high bits: an LCG's low bits repeat with a short period.
    const random = (n: number): number => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
    const values = ['1e400', '-1e400', '-0', '0', '1', '1.5', '10', '11', '9007199254740993', '""', '"x"', '"high"', '"1.2.0"', 'true', 'null', '[]', '["x"]', '[1]', '{}', '{"__proto__": {"a": 1}}', '{"a": [1e400]}', '{"a": {"b": "c"}}'];
    const keys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'fieldOfANewerMinor', 'line', 'properties', 'durationMs'];
    /** Every object and array in `value`, with its path. */
    const containers = (value: unknown, path: Path = [], out: Array<{ path: Path; value: object }> = []) => {
      if (typeof value === 'object' && value !== null) {
        out.push({ path, value });
        for (const [k, v] of Object.entries(value)) containers(v, [...path, Array.isArray(value) ? Number(k) : k], out);
      }
      return out;
    };
    const base = everyField();
    let accepted = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const data: unknown = structuredClone(base);
      for (let edit = 0; edit <= random(2); edit++) {
        const all = containers(data);
        // Half the edits in a finding or the run, where most fields are.
        const some = random(2) === 0 ? all.filter(({ path }) => path.length === 1 ? path[0] === 'run' : path.length === 2 && path[0] === 'findings') : all;
        const target = some[random(some.length)]!;
        const own = Object.keys(target.value);
        // Replace a field, delete it, or add one.
        const key = random(3) === 0 || own.length === 0 ? (Array.isArray(target.value) ? target.value.length : keys[random(keys.length)]!) : own[random(own.length)]!;
        const json = random(8) === 0 ? undefined : values[random(values.length)]!;
        const parent = target.path.reduce((o: any, k) => o[k], data as any);
        if (json === undefined) delete parent[key];
        // An own property even for __proto__, as JSON.parse makes it.
        else Object.defineProperty(parent, key, { value: JSON.parse(json), enumerable: true, configurable: true, writable: true });
      }
      // Not through JSON text, which would write Infinity as null.
      if (expectSameVerdict(data, `trial ${trial}`)) accepted++;
    }
    expect(accepted).toBeGreaterThan(200);
  });

  it('refuses what is not a report object at all', () => {
    for (const value of [null, [], 'report', 1, {}]) expect(matchesReportSchema(value)).toBe(false);
  });
});

describe('validReportOf', () => {
  it('returns the report of valid JSON (with or without a byte order mark), and nothing for anything else', () => {
    const text = renderJson(comparedReport());
    expect(validReportOf(text)).toEqual(JSON.parse(text));
    expect(validReportOf(`\ufeff${text}`)?.findings).toHaveLength(5);
    expect(validReportOf(text.slice(0, 300))).toBeUndefined();
    expect(validReportOf(text.replace('"schemaVersion": "1.2.0"', '"schemaVersion": "2.0.0"'))).toBeUndefined();
  });
});
