/**
 * Typed run inputs (`inputs:` in the workflow, `--input k=v` on the command line).
 */
import { ErrorCodes, PsrAggregateError, type Diagnostic } from '../errors.js';
import type { InputSpec, Workflow } from '../model.js';

/** A resolved input value. */
export type InputValue = string | number | boolean;

function coerce(name: string, spec: InputSpec, raw: InputValue): { value: InputValue } | { problem: string; hint?: string } {
  switch (spec.type) {
    case 'string':
      return { value: typeof raw === 'string' ? raw : String(raw) };
    case 'number': {
      if (typeof raw === 'number') return Number.isFinite(raw) ? { value: raw } : { problem: `input "${name}" must be a finite number` };
      const text = String(raw).trim();
      const n = text === '' ? Number.NaN : Number(text);
      if (typeof raw === 'boolean' || !Number.isFinite(n)) {
        return { problem: `input "${name}" must be a number, got ${JSON.stringify(raw)}`, hint: `for example --input ${name}=3` };
      }
      return { value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const text = String(raw).trim().toLowerCase();
      if (text === 'true') return { value: true };
      if (text === 'false') return { value: false };
      return { problem: `input "${name}" must be true or false, got ${JSON.stringify(raw)}`, hint: `use --input ${name}=true or --input ${name}=false` };
    }
  }
}

/**
 * Check and type the raw input values of a run: strings from the command line become the
 * declared `number`/`boolean`, defaults fill what was not given, `enum`s and required inputs
 * are enforced, unknown names are refused. Every problem is reported at once.
 *
 * @throws PsrAggregateError with code `PSR_INPUT`, one problem per bad input, each with a hint.
 * @example
 * ```ts
 * const inputs = resolveInputs(workflow, { target: 'prod', retries: '3' });
 * // → { target: 'prod', retries: 3, dryRun: false }
 * ```
 */
export function resolveInputs(workflow: Pick<Workflow, 'inputs' | 'file'>, raw: Record<string, InputValue> = {}): Record<string, InputValue> {
  const problems: Diagnostic[] = [];
  const out: Record<string, InputValue> = {};
  const declared = Object.keys(workflow.inputs);
  for (const name of Object.keys(raw)) {
    if (!(name in workflow.inputs)) {
      problems.push({
        code: ErrorCodes.INPUT,
        message: `unknown input "${name}"`,
        hint: declared.length > 0 ? `this workflow declares: ${declared.join(', ')}` : 'this workflow declares no inputs',
      });
    }
  }
  for (const [name, spec] of Object.entries(workflow.inputs)) {
    const given = raw[name];
    if (given === undefined) {
      if (spec.default !== undefined) out[name] = spec.default;
      else if (spec.required) {
        problems.push({
          code: ErrorCodes.INPUT,
          message: `missing required input "${name}"${spec.description ? ` (${spec.description})` : ''}`,
          hint: spec.enum ? `pass --input ${name}=<${spec.enum.map(String).join('|')}>` : `pass --input ${name}=<${spec.type}>`,
        });
      }
      continue;
    }
    const result = coerce(name, spec, given);
    if ('problem' in result) {
      problems.push({ code: ErrorCodes.INPUT, message: result.problem, ...(result.hint ? { hint: result.hint } : {}) });
      continue;
    }
    if (spec.enum && !spec.enum.some((e) => e === result.value || String(e) === String(result.value))) {
      problems.push({
        code: ErrorCodes.INPUT,
        message: `input "${name}" must be one of ${spec.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(given)}`,
        hint: `allowed values: ${spec.enum.map(String).join(', ')}`,
      });
      continue;
    }
    out[name] = result.value;
  }
  if (problems.length > 0) throw new PsrAggregateError(problems);
  return out;
}
