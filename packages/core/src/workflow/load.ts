/**
 * loadWorkflow: file → text → YAML with positions → schema → normalised `Workflow` →
 * plugins → semantic rules. Every problem of a stage is collected; the first stage with
 * problems ends the load with one `PsrAggregateError` holding all of them.
 */
import { createRequire } from 'node:module';
import type { z } from 'zod';
import { dirname, resolve } from 'node:path';
import { ErrorCodes, PsrAggregateError, isPsrError, type Diagnostic } from '../errors.js';
import type { Workflow } from '../model.js';
import { loadPlugins } from '../plugins/load.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { MAX_NESTING_DEPTH, tooDeepProblem, WorkflowDocument, type PathSegment } from './document.js';
import { nameFromFile, normalizeWorkflow } from './normalize.js';
import { hasTasks } from './rules/has-tasks.js';
import { knownNeeds } from './rules/known-needs.js';
import { knownRetryKinds } from './rules/known-retry-kinds.js';
import { knownTaskTypes } from './rules/known-task-types.js';
import { noCycles } from './rules/no-cycles.js';
import type { RuleProblem, WorkflowRule } from './rules/rule.js';
import { taskInputs } from './rules/task-inputs.js';
import { uniqueIds } from './rules/unique-ids.js';
import { validCron } from './rules/valid-cron.js';
import { validDurations } from './rules/valid-durations.js';
import { notEvaluatedProblem, validExpressions } from './rules/valid-expressions.js';
import { validInputs } from './rules/valid-inputs.js';
import { validMatrix } from './rules/valid-matrix.js';
import { userWorkflowSchema } from './schema.js';
import { schemaProblems } from './schema-issues.js';
import { checkWorkflowTextSize, readWorkflowFile } from './source.js';

/**
 * A workflow to load: a file path, YAML text (any string with a newline), or text with the
 * file name to report in messages (and to resolve relative paths from).
 *
 * @example
 * ```ts
 * await loadWorkflow('workflows/ci.yml');
 * await loadWorkflow('tasks:\n  hello:\n    run: echo hello\n');
 * await loadWorkflow({ text: editorBuffer, file: 'workflows/ci.yml' });
 * ```
 */
export type WorkflowSource = string | { text: string; file?: string };

/**
 * Options of {@link loadWorkflow}.
 *
 * @example
 * ```ts
 * // Check task types and `with:` against the plugins, but do not import `plugins:` again:
 * await loadWorkflow('wf.yml', { registry, loadPlugins: false });
 * ```
 */
export interface LoadWorkflowOptions {
  /**
   * Task types to check `uses:` and `with:` against. Without it, task types and their
   * inputs are not checked (the shape of the file still is).
   */
  registry?: PluginRegistry;
  /** Import the workflow's `plugins:` into `registry` first. Default: true when a registry is given. */
  loadPlugins?: boolean;
}

/** The semantic rules, in the order their problems are most useful. */
export const WORKFLOW_RULES: readonly WorkflowRule[] = [
  hasTasks,
  uniqueIds,
  knownNeeds,
  noCycles,
  knownTaskTypes,
  validDurations,
  validMatrix,
  validInputs,
  validCron,
  validExpressions,
  taskInputs,
  knownRetryKinds,
];

const INLINE = '<inline>';

/**
 * The SHA-256 of a workflow's text, as hex. `node:crypto` is required on first use, not
 * imported: it costs about 6 ms to load and `psr validate` never needs the hash.
 */
function sha256Hex(text: string): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

/** Load, check and normalise a workflow. Rejects with `PsrAggregateError` listing every problem. */
export async function loadWorkflow(source: WorkflowSource, options: LoadWorkflowOptions = {}): Promise<Workflow> {
  const { text, displayFile, absoluteFile } = await readSource(source);

  const { document, problems } = WorkflowDocument.parse(text, displayFile);
  const fatalYaml = problems.some((p) => !p.message.startsWith('duplicate key'));
  if (fatalYaml) fail(problems);

  let value: unknown;
  try {
    value = document.doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    fail([...problems, { code: ErrorCodes.YAML_SYNTAX, message: `cannot read the YAML: ${(cause as Error)?.message ?? cause}`, hint: 'avoid deeply nested aliases (*name)', location: document.locate([]) }]);
  }
  // Aliases can nest a deep anchor inside another (and an anchor inside itself): the text was
  // shallow enough, the value may not be, and every later step walks it.
  const nesting = nestingProblem(value);
  if (nesting) {
    const location = document.locate(nesting.path) ?? { file: displayFile, line: 1, col: 1 };
    fail([
      ...problems,
      nesting.cycle
        ? {
            code: ErrorCodes.YAML_SYNTAX,
            message: 'an alias (*name) refers to a list or mapping that contains it, so the value never ends',
            hint: 'an alias may only repeat an anchor (&name) written before and outside it',
            location,
          }
        : tooDeepProblem(location),
    ]);
  }
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    fail([
      ...problems,
      {
        code: ErrorCodes.SCHEMA,
        message: value === null || value === undefined ? 'the workflow is empty' : `a workflow is a mapping of keys, not ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
        hint: 'a workflow needs at least `version: 1` and a `tasks:` mapping, e.g. tasks: { hello: { run: echo hello } }',
        location: document.locate([]) ?? { file: displayFile, line: 1, col: 1 },
      },
    ]);
  }

  // Top-level `x-*` keys are free for YAML anchors (`x-common: &common`), as in Compose files.
  value = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !k.startsWith('x-')));
  let parsed = userWorkflowSchema.safeParse(value);
  if (!parsed.success) {
    const valueAt = (path: PathSegment[]): unknown => path.reduce<unknown>((v, seg) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[String(seg)] : undefined), value);
    const schema = schemaProblems(parsed.error.issues, { schema: userWorkflowSchema, valueAt, sourceAt: (path) => document.plainScalarText(path), rootSchemaForHints: userWorkflowSchema }).map((p) => {
      const location = document.locate(p.path, p.at ?? 'value') ?? { file: displayFile, line: 1, col: 1 };
      // A `${{ }}` where a number or boolean belongs: the problem is the expression, not its type.
      if (p.at !== 'key' && isExpressionText(valueAt(p.path))) return { ...notEvaluatedProblem(p.path), location };
      return { code: ErrorCodes.SCHEMA, message: p.message, ...(p.hint ? { hint: p.hint } : {}), location };
    });
    problems.push(...schema);
    // Keep going without the offending keys, so one run reports the schema problems *and*
    // the semantic ones (an unknown key and a cycle are both shown).
    parsed = parseWithoutOffendingKeys(value as Record<string, unknown>, parsed.error.issues);
    if (!parsed.success) fail(problems);
  }
  const workflow = normalizeWorkflow(parsed.data, document, {
    file: absoluteFile ?? INLINE,
    dir: absoluteFile ? dirname(absoluteFile) : process.cwd(),
    hash: () => sha256Hex(text),
    fallbackName: absoluteFile ? nameFromFile(absoluteFile) : 'workflow',
  });

  const registry = options.registry;
  if (registry) {
    const used = new Set(workflow.tasks.map((t) => t.uses));
    try {
      // Without plugin loading, lazily registered built-ins are still imported for the `with:` checks.
      if (options.loadPlugins === false) await registry.load(used);
      // A `${{ }}` specifier is reported by validExpressions (plugins: is not evaluated), not resolved.
      else await loadPlugins(workflow.plugins.filter((p) => !p.specifier.includes('${{')), absoluteFile ?? resolve(process.cwd(), INLINE), registry, used);
    } catch (err) {
      if (!isPsrError(err)) throw err;
      problems.push(...(err instanceof PsrAggregateError ? err.problems : [err.toDiagnostic()]));
    }
  }

  const report = (p: RuleProblem): void => {
    const location = p.location ?? (p.path ? document.locate(p.path, p.at ?? 'value') : undefined);
    problems.push({ code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}), ...(location ? { location } : {}) });
  };
  for (const rule of WORKFLOW_RULES) {
    try {
      await rule.check({ user: parsed.data, workflow, document, registry, report });
    } catch (err) {
      // A rule must never turn a bad workflow into a crash; a throwing rule is a psr bug.
      problems.push({
        code: ErrorCodes.INTERNAL,
        message: `internal error in the ${rule.name} check: ${(err as Error)?.message ?? err}`,
        hint: 'this is a bug in psr; please report it with the workflow file',
      });
    }
  }
  if (problems.length > 0) fail(problems);
  return workflow;
}

/**
 * Retry the schema with every offending value removed (unknown keys, values of the wrong
 * type). Returns a failed result when that is not enough (a required key is missing).
 */
function parseWithoutOffendingKeys(value: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): ReturnType<typeof userWorkflowSchema.safeParse> {
  let current = structuredClone(value);
  let pending = offendingIssues(issues);
  for (let round = 0; round < 3; round++) {
    for (const issue of pending) {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) removeAt(current, [...path, key]);
      else if (path.length > 0) removeAt(current, path);
      else return userWorkflowSchema.safeParse(undefined);
    }
    dropRemoved(current);
    const result = userWorkflowSchema.safeParse(current);
    if (result.success) return result;
    pending = offendingIssues(result.error.issues);
    current = structuredClone(current);
  }
  return userWorkflowSchema.safeParse(undefined);
}

/**
 * The issues to remove values for. In a union whose value matched one branch's type (a
 * `retry:` mapping), only the offending keys inside it go, not the whole value, so the
 * keys that were right are still checked by the rules.
 */
function offendingIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      const matched = issue.errors.find((b) => b.length > 0 && b.every((i) => i.path.length > 0 || i.code !== 'invalid_type'));
      if (matched) {
        out.push(...offendingIssues(matched, path));
        continue;
      }
    }
    out.push(prefix.length === 0 ? issue : { ...issue, path });
  }
  return out;
}

/**
 * Whether `root` nests deeper than {@link MAX_NESTING_DEPTH} or contains itself, with the path
 * to where (as far as it is written in the document). Iterative; values shared through
 * aliases are measured once, so many aliases of one anchor cost nothing extra.
 */
function nestingProblem(root: unknown): { path: PathSegment[]; cycle: boolean } | undefined {
  if (root === null || typeof root !== 'object') return undefined;
  interface Frame {
    node: object;
    keys: PathSegment[];
    next: number;
    /** Levels from this node down to its deepest descendant, itself included. */
    height: number;
  }
  const frameOf = (node: object): Frame => ({ node, keys: Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node), next: 0, height: 1 });
  const heights = new Map<object, number>();
  const open = new Set<object>([root]);
  const stack: Frame[] = [frameOf(root)];
  // The keys from the root to the child the top frame is at.
  const here = (): PathSegment[] => stack.map((f) => f.keys[f.next - 1]!);
  while (stack.length > 0) {
    const top = stack.at(-1)!;
    if (top.next < top.keys.length) {
      const child = (top.node as Record<PathSegment, unknown>)[top.keys[top.next++]!];
      if (child === null || typeof child !== 'object') continue;
      if (open.has(child)) return { path: here(), cycle: true };
      const known = heights.get(child);
      // The child sits at depth stack.length + 1 and reaches `known` levels further down.
      if (stack.length + (known ?? 1) > MAX_NESTING_DEPTH) return { path: here(), cycle: false };
      if (known !== undefined) top.height = Math.max(top.height, known + 1);
      else {
        stack.push(frameOf(child));
        open.add(child);
      }
      continue;
    }
    stack.pop();
    open.delete(top.node);
    heights.set(top.node, top.height);
    const parent = stack.at(-1);
    if (parent) parent.height = Math.max(parent.height, top.height + 1);
  }
  return undefined;
}

function isExpressionText(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${{');
}

function removeAt(root: Record<string, unknown>, path: readonly string[]): void {
  let node: unknown = root;
  for (const seg of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[seg];
  }
  if (node === null || typeof node !== 'object') return;
  const last = path.at(-1)!;
  // Array items are marked and dropped afterwards, so earlier removals do not shift later indexes.
  if (Array.isArray(node)) node[Number(last)] = REMOVED;
  else delete (node as Record<string, unknown>)[last];
}

const REMOVED = Symbol('removed');

function dropRemoved(node: unknown): unknown {
  if (Array.isArray(node)) {
    const kept = node.filter((v) => v !== REMOVED);
    node.length = 0;
    node.push(...kept.map(dropRemoved));
    return node;
  }
  if (node !== null && typeof node === 'object') for (const v of Object.values(node)) dropRemoved(v);
  return node;
}

async function readSource(source: WorkflowSource): Promise<{ text: string; displayFile: string; absoluteFile: string | undefined }> {
  try {
    if (typeof source === 'string' && !source.includes('\n')) {
      const text = await readWorkflowFile(source);
      return { text, displayFile: source, absoluteFile: resolve(source) };
    }
    const text: unknown = typeof source === 'string' ? source : (source as { text?: unknown } | null)?.text;
    const file = typeof source === 'string' ? undefined : (source as { file?: string } | null)?.file;
    if (typeof text !== 'string' || (file !== undefined && typeof file !== 'string')) {
      throw new PsrAggregateError([{ code: ErrorCodes.USAGE, message: 'loadWorkflow needs a path, YAML text, or { text, file }' }]);
    }
    checkWorkflowTextSize(text, file ?? INLINE);
    return { text, displayFile: file ?? INLINE, absoluteFile: file ? resolve(file) : undefined };
  } catch (err) {
    if (err instanceof PsrAggregateError || !isPsrError(err)) throw err;
    throw new PsrAggregateError([err.toDiagnostic()]);
  }
}

function fail(problems: Diagnostic[]): never {
  throw new PsrAggregateError(sortByLocation(problems));
}

/** Problems in file order (those without a position first), so output reads top to bottom. */
function sortByLocation(problems: Diagnostic[]): Diagnostic[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.location?.line ?? 0) - (b.p.location?.line ?? 0) || (a.p.location?.col ?? 0) - (b.p.location?.col ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}
