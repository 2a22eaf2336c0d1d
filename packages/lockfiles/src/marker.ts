import { createRequire } from 'node:module';
import { PsrError } from '@psr/core/errors';
import { LockfileCodes } from './errors.js';
import type { MarkerTarget } from './model.js';
import { normalizePypiName } from './pypi-name.js';

/*
 * PEP 508 environment markers, hand-written: no maintained npm package parses them (the
 * registry has PEP 440 version libraries, used below for version comparisons, but no marker
 * grammar). The grammar is small:
 *   or_expr  := and_expr ('or' and_expr)*
 *   and_expr := atom ('and' atom)*
 *   atom     := '(' or_expr ')' | value op value
 *   value    := variable | quoted string
 *   op       := '<' | '<=' | '!=' | '==' | '>=' | '>' | '~=' | '===' | 'in' | 'not in'
 * Evaluation is three-valued: a variable the target does not set makes its comparison
 * unknown, and `and`/`or` combine unknowns the Kleene way, so narrowing never drops a
 * dependency it cannot rule out.
 */

type Pep440 = typeof import('@renovatebot/pep440');
let pep440Module: Pep440 | undefined;
/** Loaded on the first version comparison (a CommonJS package, so `require` keeps this sync). */
function pep440(): Pep440 {
  pep440Module ??= createRequire(import.meta.url)('@renovatebot/pep440') as Pep440;
  return pep440Module;
}

type Token = { kind: 'str'; value: string } | { kind: 'var'; value: string } | { kind: 'op'; value: string } | { kind: 'paren'; value: '(' | ')' } | { kind: 'kw'; value: 'and' | 'or' };

type Node =
  | { type: 'and' | 'or'; left: Node; right: Node }
  | { type: 'cmp'; left: Operand; op: string; right: Operand };

type Operand = { kind: 'str' | 'var'; value: string };

const VARIABLES = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system',
  'platform_version', 'platform_machine', 'platform_python_implementation', 'implementation_name',
  'implementation_version', 'extra', 'extras', 'dependency_groups',
  // legacy dotted spellings still found in old metadata
  'os.name', 'sys.platform', 'platform.version', 'platform.machine', 'platform.python_implementation', 'python_implementation',
]);
const LEGACY: Record<string, string> = {
  'os.name': 'os_name', 'sys.platform': 'sys_platform', 'platform.version': 'platform_version',
  'platform.machine': 'platform_machine', 'platform.python_implementation': 'platform_python_implementation',
  python_implementation: 'platform_python_implementation',
};
const VERSION_VARS = new Set(['python_version', 'python_full_version', 'implementation_version', 'platform_release']);

function markerError(marker: string, message: string, at: number): PsrError {
  return new PsrError(LockfileCodes.PARSE, `invalid environment marker "${marker}": ${message} at column ${at + 1}`, {
    hint: 'markers look like: python_version >= "3.8" and sys_platform == "linux"',
  });
}

function tokenize(marker: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < marker.length) {
    const c = marker[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({ kind: 'paren', value: c }); i++; continue; }
    if (c === '"' || c === "'") {
      const end = marker.indexOf(c, i + 1);
      if (end === -1) throw markerError(marker, 'unterminated string', i);
      tokens.push({ kind: 'str', value: marker.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const op = /^(===|==|!=|<=|>=|~=|<|>)/.exec(marker.slice(i));
    if (op) { tokens.push({ kind: 'op', value: op[1]! }); i += op[1]!.length; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(marker.slice(i));
    if (!word) throw markerError(marker, `unexpected "${c}"`, i);
    const w = word[0];
    if (w === 'and' || w === 'or') tokens.push({ kind: 'kw', value: w });
    else if (w === 'in') tokens.push({ kind: 'op', value: 'in' });
    else if (w === 'not') {
      const rest = /^not\s+in\b/.exec(marker.slice(i));
      if (!rest) throw markerError(marker, '"not" must be followed by "in"', i);
      tokens.push({ kind: 'op', value: 'not in' });
      i += rest[0].length;
      continue;
    } else if (VARIABLES.has(w)) tokens.push({ kind: 'var', value: LEGACY[w] ?? w });
    else throw markerError(marker, `unknown marker variable "${w}"`, i);
    i += w.length;
  }
  return tokens;
}

function parse(marker: string): Node {
  const tokens = tokenize(marker);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const operand = (): Operand => {
    const t = tokens[pos++];
    if (!t || (t.kind !== 'str' && t.kind !== 'var')) throw markerError(marker, 'expected a variable or a quoted string', marker.length - 1);
    return t;
  };
  const atom = (): Node => {
    const t = peek();
    if (t?.kind === 'paren' && t.value === '(') {
      pos++;
      const inner = orExpr();
      const close = tokens[pos++];
      if (close?.kind !== 'paren' || close.value !== ')') throw markerError(marker, 'missing ")"', marker.length - 1);
      return inner;
    }
    const left = operand();
    const op = tokens[pos++];
    if (op?.kind !== 'op') throw markerError(marker, 'expected a comparison operator', marker.length - 1);
    return { type: 'cmp', left, op: op.value, right: operand() };
  };
  const andExpr = (): Node => {
    let left = atom();
    while (peek()?.kind === 'kw' && peek()!.value === 'and') { pos++; left = { type: 'and', left, right: atom() }; }
    return left;
  };
  const orExpr = (): Node => {
    let left = andExpr();
    while (peek()?.kind === 'kw' && peek()!.value === 'or') { pos++; left = { type: 'or', left, right: andExpr() }; }
    return left;
  };
  const node = orExpr();
  if (pos !== tokens.length) throw markerError(marker, 'unexpected trailing text', marker.length - 1);
  return node;
}

/** The marker environment a target implies (only what it says; the rest stays unknown). */
function environment(target: MarkerTarget): Map<string, string | string[]> {
  const env = new Map<string, string | string[]>();
  if (target.pythonVersion) {
    const parts = target.pythonVersion.split('.');
    env.set('python_version', parts.slice(0, 2).join('.'));
    env.set('python_full_version', parts.length >= 3 ? target.pythonVersion : `${parts.slice(0, 2).join('.')}.0`);
  }
  const p = target.platform?.toLowerCase();
  if (p) {
    const known: Record<string, [string, string, string]> = {
      linux: ['linux', 'Linux', 'posix'],
      darwin: ['darwin', 'Darwin', 'posix'], macos: ['darwin', 'Darwin', 'posix'], mac: ['darwin', 'Darwin', 'posix'],
      win32: ['win32', 'Windows', 'nt'], windows: ['win32', 'Windows', 'nt'], win: ['win32', 'Windows', 'nt'],
    };
    const k = known[p];
    if (k) {
      env.set('sys_platform', k[0]);
      env.set('platform_system', k[1]);
      env.set('os_name', k[2]);
    } else env.set('sys_platform', p);
  }
  if (target.extras) env.set('extras', target.extras.map(normalizePypiName));
  for (const [k, v] of Object.entries(target.env ?? {})) env.set(k, v);
  return env;
}

function compare(left: string, op: string, right: string, versionish: boolean): boolean {
  if (op === 'in') return right.includes(left);
  if (op === 'not in') return !right.includes(left);
  if (op === '===') return left === right;
  if (versionish && pep440().valid(left) && pep440().valid(right)) return pep440().satisfies(left, `${op}${right}`);
  if (versionish && pep440().valid(left) && op !== '~=') {
    // `python_version == "3.8.*"`-style specifiers on the right-hand side
    try {
      return pep440().satisfies(left, `${op}${right}`);
    } catch {
      /* fall through to string comparison */
    }
  }
  switch (op) {
    case '==': return left === right;
    case '!=': return left !== right;
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
    default: return false;
  }
}

function evaluate(node: Node, env: Map<string, string | string[]>): boolean | undefined {
  if (node.type === 'and') {
    const l = evaluate(node.left, env);
    if (l === false) return false;
    const r = evaluate(node.right, env);
    if (r === false) return false;
    return l === true && r === true ? true : undefined;
  }
  if (node.type === 'or') {
    const l = evaluate(node.left, env);
    if (l === true) return true;
    const r = evaluate(node.right, env);
    if (r === true) return true;
    return l === false && r === false ? false : undefined;
  }
  if (node.type !== 'cmp') return undefined;
  const { left, op, right } = node;
  // `"dev" in dependency_groups` / `"s3" in extras` (PEP 751): membership in a set.
  if ((right.kind === 'var' && (right.value === 'extras' || right.value === 'dependency_groups')) && (op === 'in' || op === 'not in')) {
    const set = env.get(right.value);
    if (set === undefined) return undefined;
    const has = (Array.isArray(set) ? set : [set]).includes(normalizePypiName(left.value));
    return op === 'in' ? has : !has;
  }
  const isExtra = (o: Operand): boolean => o.kind === 'var' && o.value === 'extra';
  if (isExtra(left) || isExtra(right)) {
    const extras = env.get('extras');
    if (extras === undefined) return undefined;
    const wanted = normalizePypiName((isExtra(left) ? right : left).value);
    const has = (Array.isArray(extras) ? extras : [extras]).includes(wanted);
    if (op === '==') return has;
    if (op === '!=') return !has;
    return undefined;
  }
  const value = (o: Operand): string | undefined => {
    if (o.kind === 'str') return o.value;
    const v = env.get(o.value);
    return Array.isArray(v) ? v.join(',') : v;
  };
  const l = value(left);
  const r = value(right);
  if (l === undefined || r === undefined) return undefined;
  const versionish = (left.kind === 'var' && VERSION_VARS.has(left.value)) || (right.kind === 'var' && VERSION_VARS.has(right.value));
  return compare(l, op, r, versionish);
}

/**
 * Evaluate a PEP 508 environment marker against a target. Returns `true` or `false` when the
 * target decides it, and `undefined` when the marker uses something the target leaves unset
 * (such dependencies are kept when narrowing). Throws `PSR_LOCKFILE_PARSE` for a malformed marker.
 *
 * @example
 * ```ts
 * evaluateMarker('python_version < "3.11"', { pythonVersion: '3.12' }); // false
 * evaluateMarker('sys_platform == "win32"', { pythonVersion: '3.12' }); // undefined (platform not set)
 * evaluateMarker('extra == "socks"', { extras: ['socks'] }); // true
 * ```
 */
export function evaluateMarker(marker: string, target: MarkerTarget): boolean | undefined {
  return evaluate(parse(marker), environment(target));
}

/**
 * Why a PEP 508 environment marker is malformed, or `undefined` when it parses. Nothing is
 * evaluated: a parser can tell about a marker pip would refuse even when no target is given.
 *
 * @example
 * ```ts
 * markerProblem('python_version < "3.10'); // 'invalid environment marker "python_version < "3.10": unterminated string at column 18'
 * markerProblem('python_version < "3.10"'); // undefined
 * ```
 */
export function markerProblem(marker: string): string | undefined {
  try {
    parse(marker);
    return undefined;
  } catch (err) {
    if (err instanceof PsrError) return err.message;
    throw err;
  }
}
