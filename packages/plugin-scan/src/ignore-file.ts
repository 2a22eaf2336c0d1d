/**
 * The scan ignore file: accepted vulnerabilities, each with a reason, optionally limited to one
 * package, with an owner and an expiry date after which it stops suppressing.
 *
 * ```yaml
 * ignores:
 *   - id: PYSEC-2019-217        # or any alias: CVE-2019-10906, GHSA-462w-v97r-4m45
 *     package: jinja2           # optional
 *     reason: sandbox not used  # required
 *     expires: 2025-06-30       # optional (YYYY-MM-DD)
 *     owner: security@example.com
 * ```
 */
// Synchronous fs on purpose: the promise API would cost every scan the load of
// `node:fs/promises` (FileHandle, streams) for one small file.
import { readFileSync } from 'node:fs';
import { PsrError, type SourceLocation } from '@psr/core/errors';
import { ScanErrorCodes } from './scan-errors.js';

/** One accepted vulnerability. */
export interface IgnoreRule {
  id: string;
  package?: string;
  reason: string;
  expires?: string;
  owner?: string;
  /** Where the rule is written. */
  location: SourceLocation;
}

const KEYS = new Set(['id', 'package', 'reason', 'expires', 'owner']);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether `text` is a calendar date written YYYY-MM-DD. The shape alone is not enough: expiry
 * dates are compared as strings, so `2020-13-45` would read as a date long past and `2999-02-30`
 * as one far ahead, and a typo would silently turn a rule off or on.
 *
 * @example
 * ```ts
 * isCalendarDate('2024-02-29'); // true
 * isCalendarDate('2023-02-29'); // false
 * ```
 */
function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!);
}

/**
 * Parse an ignore file's text; every problem carries `file:line:col`.
 *
 * @example
 * ```ts
 * const rules = await parseIgnoreFile('ignores:\n  - id: CVE-2019-10906\n    reason: not reachable\n', '.psr-ignore.yml');
 * rules[0]?.id; // 'CVE-2019-10906'
 * ```
 */
export async function parseIgnoreFile(text: string, file: string): Promise<IgnoreRule[]> {
  const { parseDocument, LineCounter, isMap, isSeq, isScalar } = await import('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, schema: 'failsafe', prettyErrors: false });
  const at = (offset: number | undefined): SourceLocation => {
    const p = lc.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };
  const fail = (message: string, offset: number | undefined, hint = 'each entry needs `id` and `reason`; see docs/plugins/scan.md'): PsrError =>
    new PsrError(ScanErrorCodes.IGNORE_FILE, message, { hint, location: at(offset) });
  if (doc.errors.length > 0) {
    // yaml composes documents by recursion and reports a stack overflow as a parse error.
    const reason = /call stack/i.test(doc.errors[0]!.message) ? 'it is nested too deeply to read' : doc.errors[0]!.message.split('\n')[0];
    throw fail(`ignore file does not parse: ${reason}`, doc.errors[0]!.pos[0]);
  }
  const root = doc.contents;
  if (root === null || root === undefined) return [];
  if (!isMap(root)) throw fail('ignore file must be a mapping with an `ignores:` list', root.range?.[0]);
  // A misspelt `ignores:` would otherwise leave a file that suppresses nothing, silently.
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'ignores')
      throw fail(`unknown top-level key "${key}" in ignore file`, (pair.key as { range?: number[] } | null)?.range?.[0], 'did you mean "ignores"? an ignore file has one top-level key, `ignores:`, a list of entries');
  }
  const list = root.get('ignores', true);
  if (list === undefined || list === null || (isScalar(list) && (list.value === null || String(list.value) === ''))) return [];
  if (!isSeq(list)) throw fail('`ignores` must be a list', (list as { range?: number[] }).range?.[0]);
  const rules: IgnoreRule[] = [];
  for (const item of list.items) {
    const start = (item as { range?: number[] }).range?.[0];
    if (!isMap(item)) throw fail('each ignore must be a mapping (id, reason, …)', start);
    const fields: Record<string, string> = {};
    const valueAt: Record<string, number | undefined> = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const keyAt = (pair.key as { range?: number[] } | null)?.range?.[0];
      if (!KEYS.has(key)) throw fail(`unknown key "${key}" in ignore entry`, keyAt, `allowed keys: ${[...KEYS].join(', ')}`);
      if (!isScalar(pair.value)) throw fail(`"${key}" must be a plain value`, keyAt);
      fields[key] = String(pair.value.value ?? '').trim();
      valueAt[key] = pair.value.range?.[0];
    }
    if (!fields['id']) throw fail('ignore entry has no `id`', start, 'give the advisory id or one of its aliases (PYSEC-…, GHSA-…, CVE-…)');
    if (!fields['reason']) throw fail(`ignore of ${fields['id']} has no \`reason\``, start, 'say why the vulnerability is accepted; the reason is shown in every report');
    if (fields['expires'] !== undefined && !isCalendarDate(fields['expires']))
      throw fail(`ignore of ${fields['id']}: expires "${fields['expires']}" is not a date`, valueAt['expires'], 'write expires as a real date, YYYY-MM-DD (e.g. 2025-06-30)');
    rules.push({
      id: fields['id'],
      reason: fields['reason'],
      ...(fields['package'] ? { package: fields['package'] } : {}),
      ...(fields['expires'] ? { expires: fields['expires'] } : {}),
      ...(fields['owner'] ? { owner: fields['owner'] } : {}),
      location: at(start),
    });
  }
  return rules;
}

/**
 * Read and parse an ignore file.
 *
 * @example
 * ```ts
 * const rules = await readIgnoreFile('.psr-ignore.yml');
 * ```
 */
export async function readIgnoreFile(path: string): Promise<IgnoreRule[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PsrError(ScanErrorCodes.IGNORE_FILE, `cannot read ignore file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'check the `ignore-file` path (relative to the working directory)',
      location: { file: path, line: 1, col: 1 },
      cause: err,
    });
  }
  if (text.includes('\u0000')) throw new PsrError(ScanErrorCodes.IGNORE_FILE, `${path} is a binary file, not an ignore file`, { location: { file: path, line: 1, col: 1 } });
  return await parseIgnoreFile(text, path);
}
