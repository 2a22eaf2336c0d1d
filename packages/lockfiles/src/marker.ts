import { createRequire } from 'node:module';
import type { MarkerTarget } from './model.js';
import { parseMarker, type MarkerNode, type MarkerOperand } from './marker-syntax.js';
import { normalizePypiName } from './pypi-name.js';

/*
 * PEP 508 environment markers evaluated against a target (their syntax: marker-syntax.ts).
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

const VERSION_VARS = new Set(['python_version', 'python_full_version', 'implementation_version', 'platform_release']);

/** Platform names a target may use, by what they set: sys_platform, platform_system, os_name. */
const PLATFORMS: Record<string, [string, string, string]> = {
  linux: ['linux', 'Linux', 'posix'],
  darwin: ['darwin', 'Darwin', 'posix'], macos: ['darwin', 'Darwin', 'posix'], mac: ['darwin', 'Darwin', 'posix'],
  win32: ['win32', 'Windows', 'nt'], windows: ['win32', 'Windows', 'nt'], win: ['win32', 'Windows', 'nt'],
};

/** Other `sys.platform` values CPython reports (set as `sys_platform` alone). */
const OTHER_SYS_PLATFORM = /^(cygwin|msys|aix|freebsd\d*|openbsd\d*|netbsd\d*|dragonfly\d*|sunos\d*|emscripten|wasi|android|ios)$/;

/**
 * Why a target cannot be evaluated (a malformed Python version, a platform no Python reports),
 * or `undefined` when it can. A typo such as `lnux` would otherwise make every platform marker
 * false and quietly leave dependencies out.
 *
 * @example
 * ```ts
 * markerTargetProblem({ pythonVersion: '3.12', platform: 'linux' }); // undefined
 * markerTargetProblem({ platform: 'lnux' }); // 'platform "lnux" is not one psr knows: linux, darwin (macos), win32 (windows), …'
 * ```
 */
export function markerTargetProblem(target: MarkerTarget): string | undefined {
  if (target.pythonVersion !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(target.pythonVersion)) {
    return `python version "${target.pythonVersion}" is not a version such as 3.12 or 3.12.4`;
  }
  const p = target.platform?.toLowerCase();
  if (p !== undefined && !(p in PLATFORMS) && !OTHER_SYS_PLATFORM.test(p)) {
    return `platform "${target.platform}" is not one psr knows: linux, darwin (macos), win32 (windows), or another sys.platform value (freebsd13, cygwin…)`;
  }
  return undefined;
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
    const k = PLATFORMS[p];
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

function evaluate(node: MarkerNode, env: Map<string, string | string[]>): boolean | undefined {
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
  const isExtra = (o: MarkerOperand): boolean => o.kind === 'var' && o.value === 'extra';
  if (isExtra(left) || isExtra(right)) {
    const extras = env.get('extras');
    if (extras === undefined) return undefined;
    const wanted = normalizePypiName((isExtra(left) ? right : left).value);
    const has = (Array.isArray(extras) ? extras : [extras]).includes(wanted);
    if (op === '==') return has;
    if (op === '!=') return !has;
    return undefined;
  }
  const value = (o: MarkerOperand): string | undefined => {
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
  return evaluate(parseMarker(marker), environment(target));
}
