/**
 * zod issues → problems a person can act on: the dotted key, what was expected, what was
 * found, a "did you mean" for misspelt keys, and the path back into the YAML for the position.
 */
import type { z } from 'zod';
import type { PathSegment } from './document.js';
import { didYouMean } from './suggest.js';

/** A schema problem, positioned by path. */
export interface SchemaProblem {
  message: string;
  hint?: string;
  path: PathSegment[];
  at?: 'key' | 'value';
}

type Issue = z.core.$ZodIssue;

/**
 * Explain every issue. `basePath` prefixes issue paths (for a task's `with:`), `schema` is the
 * schema the issues came from (for the known keys of an object), `valueAt` reads the value
 * that was written at a path (for "got …").
 */
export function schemaProblems(
  issues: readonly Issue[],
  options: {
    schema: z.ZodType;
    basePath?: PathSegment[];
    valueAt: (path: PathSegment[]) => unknown;
    /** The YAML text of a plain scalar as written (`3.10` for the number 3.1), for hints that quote it. */
    sourceAt?: (path: PathSegment[]) => string | undefined;
    rootName?: string;
    rootSchemaForHints?: z.ZodType;
  },
): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const base = options.basePath ?? [];
  const visit = (issue: Issue, prefix: PathSegment[]): void => {
    const rel = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const path = [...base, ...rel];
    const name = dotted(path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(options.schema, rel);
        for (const key of issue.keys) {
          const suggestion = (options.schema === options.rootSchemaForHints ? FOREIGN_KEYS[key] : undefined) ?? didYouMean(key, known);
          out.push({
            message: `unknown key "${key}"${path.length > 0 ? ` in ${name}` : options.rootName ? ` in ${options.rootName}` : ' at the top level'}`,
            hint: suggestion ?? (known.length > 0 ? `allowed keys: ${known.join(', ')}` : 'remove it'),
            path: [...path, key],
            at: 'key',
          });
        }
        return;
      }
      case 'invalid_union': {
        const branches = issue.errors;
        // Prefer the branch whose type matched (its issues are deeper than the value itself).
        const matched = branches.find((b) => b.length > 0 && b.every((i) => i.path.length > 0 || i.code !== 'invalid_type'));
        if (matched) {
          for (const i of matched) visit(i, rel);
          return;
        }
        const expected = [...new Set(branches.flatMap((b) => b.filter((i) => i.code === 'invalid_type').map((i) => typeName((i as { expected: string }).expected))))];
        out.push({ message: `${name}: expected ${expected.join(' or ') || 'a different value'}, got ${kind(options.valueAt(path))}`, path });
        return;
      }
      case 'invalid_type': {
        const value = options.valueAt(path);
        if (value === undefined) {
          out.push({ message: `${name} is required`, hint: `add ${String(path.at(-1))}: under ${dotted(path.slice(0, -1)) || options.rootName || 'the top level'}`, path: path.slice(0, -1), at: 'key' });
        } else {
          // A number as YAML reads it can differ from what was written (3.10 is 3.1): the hint
          // quotes the text, which is the value the person meant.
          const written = typeof value === 'number' || typeof value === 'boolean' ? options.sourceAt?.(path) : undefined;
          const differs = written !== undefined && written !== String(value);
          out.push({
            message: `${name}: expected ${typeName(issue.expected)}, got ${kind(value)}${differs ? ` (YAML reads ${written} as that ${typeof value})` : ''}`,
            hint: typeHint(issue.expected, value, written),
            path,
          });
        }
        return;
      }
      case 'invalid_value':
        out.push({ message: `${name}: ${JSON.stringify(options.valueAt(path))} is not allowed`, hint: `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, path });
        return;
      case 'too_small':
        out.push({ message: `${name}: ${issue.origin === 'array' ? `needs at least ${issue.minimum} item(s)` : issue.origin === 'string' ? `must be at least ${issue.minimum} character(s)` : `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`}`, path });
        return;
      case 'too_big':
        out.push({ message: `${name}: ${issue.origin === 'array' ? `allows at most ${issue.maximum} item(s)` : issue.origin === 'string' ? `must be at most ${issue.maximum} character(s)` : `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`}`, path });
        return;
      case 'invalid_key':
        out.push({
          message: path[0] === 'tasks' && path.length === 2 ? `task id "${String(path[1])}" is not valid` : `${name}: "${String(path.at(-1))}" is not a valid key here`,
          hint: path[0] === 'tasks' && path.length === 2 ? 'task ids use letters, digits, _ and -, and start with a letter or _' : issue.issues[0]?.message,
          path,
          at: 'key',
        });
        return;
      case 'custom': {
        // A task type's own rule (a zod refinement) gives its hint in `params.hint`.
        const hint = (issue.params as { hint?: unknown } | undefined)?.hint;
        out.push({ message: `${name || 'workflow'}: ${issue.message}`, ...(typeof hint === 'string' ? { hint } : {}), path });
        return;
      }
      default:
        out.push({ message: `${name || 'workflow'}: ${issue.message}`, path });
    }
  };
  for (const issue of issues) visit(issue, []);
  return out;
}

/**
 * Keys people bring from GitHub Actions, Argo, Taskfile and Compose, with what psr calls them.
 * Only used for the workflow schema itself (never for a plugin's `with:`).
 */
const FOREIGN_KEYS: Record<string, string> = {
  'timeout-minutes': 'psr writes durations with a unit: timeout: 10m',
  'runs-on': 'psr runs tasks on this machine (or on workers); remove runs-on',
  steps: 'a psr task is one step: use run:, script: or uses:, and split steps into tasks joined by needs',
  jobs: 'psr calls jobs tasks: rename jobs: to tasks:',
  depends_on: 'psr calls dependencies needs: needs: [other-task]',
  dependencies: 'psr calls dependencies needs: needs: [other-task]',
  deps: 'psr calls dependencies needs: needs: [other-task]',
  cmds: 'psr runs commands with run: (a multi-line string for several commands)',
  cmd: 'psr runs commands with run:',
  command: 'psr runs commands with run:',
  'working_directory': 'did you mean "working-directory"?',
  dir: 'psr sets the working directory with working-directory:',
  'continue_on_error': 'did you mean "continue-on-error"?',
  'fail_fast': 'did you mean "fail-fast"?',
  matrix: 'a matrix goes under strategy: strategy: { matrix: { … } }',
};

function dotted(path: readonly PathSegment[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** zod's type names in the words of YAML users. */
function typeName(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object' || expected === 'record' || expected === 'map') return 'a mapping';
  return expected === 'int' ? 'an integer' : `a ${expected}`;
}

function typeHint(expected: string, value: unknown, written: string | undefined): string | undefined {
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return `quote it: "${written ?? String(value)}"`;
  if (expected === 'boolean') return 'write true or false (yes/no/on/off are strings in YAML 1.2)';
  if (expected === 'number' && typeof value === 'string') return 'write the number without quotes';
  if (expected === 'array') return 'write a list: [a, b] or one "- item" per line';
  if (expected === 'object' || expected === 'record') return 'write a mapping: key: value';
  if (value === null) return 'the value is empty; give one or remove the key';
  return undefined;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Keys an object schema at `path` allows (for "did you mean"). */
export function knownKeys(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let current: z.ZodType[] = [schema];
  for (const seg of path) current = current.flatMap((s) => step(unwrap(s), seg));
  return [...new Set(current.flatMap((s) => unwrap(s).flatMap((u) => (defOf(u).type === 'object' ? Object.keys(defOf(u).shape ?? {}) : []))))];
}

function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault' || def.type === 'catch') && def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
  return [schema];
}

function step(schemas: z.ZodType[], seg: PathSegment): z.ZodType[] {
  return schemas.flatMap((s) => {
    const def = defOf(s);
    if (def.type === 'object') return def.shape?.[String(seg)] ? [def.shape[String(seg)]!] : [];
    if (def.type === 'record' && def.valueType) return [def.valueType];
    if (def.type === 'array' && def.element) return [def.element];
    return [];
  });
}
