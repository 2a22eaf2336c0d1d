/*
 * PEP 508 environment marker syntax, hand-written: no maintained npm package parses markers (the
 * registry has PEP 440 version libraries, but no marker grammar). The grammar is small:
 *   or_expr  := and_expr ('or' and_expr)*
 *   and_expr := atom ('and' atom)*
 *   atom     := '(' or_expr ')' | value op value
 *   value    := variable | quoted string
 *   op       := '<' | '<=' | '!=' | '==' | '>=' | '>' | '~=' | '===' | 'in' | 'not in'
 * Parsing holds no state, so a parser loaded twice (the scan's bundle and a lockfile parser it
 * imports when needed) is harmless; evaluation (marker.ts) loads a version library once.
 */
import { PsrError } from '@psr/core/errors';
import { LockfileCodes } from './errors.js';

type Token = { kind: 'str'; value: string } | { kind: 'var'; value: string } | { kind: 'op'; value: string } | { kind: 'paren'; value: '(' | ')' } | { kind: 'kw'; value: 'and' | 'or' };

/** A parsed marker: `and`/`or` of comparisons. */
export type MarkerNode =
  | { type: 'and' | 'or'; left: MarkerNode; right: MarkerNode }
  | { type: 'cmp'; left: MarkerOperand; op: string; right: MarkerOperand };

/** A side of a comparison: a quoted string or a marker variable. */
export type MarkerOperand = { kind: 'str' | 'var'; value: string };

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

/**
 * Parse a PEP 508 environment marker. Throws `PSR_LOCKFILE_PARSE` (with the column) for a
 * malformed one.
 *
 * @example
 * ```ts
 * parseMarker('python_version < "3.11"'); // { type: 'cmp', left: { kind: 'var', … }, op: '<', right: { kind: 'str', value: '3.11' } }
 * ```
 */
export function parseMarker(marker: string): MarkerNode {
  const tokens = tokenize(marker);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const operand = (): MarkerOperand => {
    const t = tokens[pos++];
    if (!t || (t.kind !== 'str' && t.kind !== 'var')) throw markerError(marker, 'expected a variable or a quoted string', marker.length - 1);
    return t;
  };
  const atom = (): MarkerNode => {
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
  const andExpr = (): MarkerNode => {
    let left = atom();
    while (peek()?.kind === 'kw' && peek()!.value === 'and') { pos++; left = { type: 'and', left, right: atom() }; }
    return left;
  };
  const orExpr = (): MarkerNode => {
    let left = andExpr();
    while (peek()?.kind === 'kw' && peek()!.value === 'or') { pos++; left = { type: 'or', left, right: andExpr() }; }
    return left;
  };
  const node = orExpr();
  if (pos !== tokens.length) throw markerError(marker, 'unexpected trailing text', marker.length - 1);
  return node;
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
    parseMarker(marker);
    return undefined;
  } catch (err) {
    if (err instanceof PsrError) return err.message;
    throw err;
  }
}

function printOperand(o: MarkerOperand): string {
  if (o.kind === 'var') return o.value;
  return o.value.includes('"') ? `'${o.value}'` : `"${o.value}"`;
}

/**
 * Write a parsed marker back as PEP 508 text: `and` binds tighter than `or`, so only an `or`
 * inside an `and` is parenthesised. Strings take double quotes unless they hold one. Legacy
 * variable spellings come back in their PEP 508 form (`os.name` → `os_name`).
 *
 * @example
 * ```ts
 * printMarker(parseMarker("python_version<'3.11' and (os_name=='nt' or os_name=='posix')"));
 * // 'python_version < "3.11" and (os_name == "nt" or os_name == "posix")'
 * ```
 */
export function printMarker(node: MarkerNode): string {
  if (node.type === 'cmp') return `${printOperand(node.left)} ${node.op} ${printOperand(node.right)}`;
  if (node.type === 'or') return `${printMarker(node.left)} or ${printMarker(node.right)}`;
  const side = (n: MarkerNode): string => (n.type === 'or' ? `(${printMarker(n)})` : printMarker(n));
  return `${side(node.left)} and ${side(node.right)}`;
}

/** `node` with every comparison on `extra` taken as true; `undefined` when the whole marker then holds. */
function dropExtraTerms(node: MarkerNode): MarkerNode | undefined {
  if (node.type === 'cmp') {
    const onExtra = (o: MarkerOperand): boolean => o.kind === 'var' && o.value === 'extra';
    return onExtra(node.left) || onExtra(node.right) ? undefined : node;
  }
  const left = dropExtraTerms(node.left);
  const right = dropExtraTerms(node.right);
  if (left === node.left && right === node.right) return node;
  if (node.type === 'or') return left && right ? { type: 'or', left, right } : undefined;
  return left && right ? { type: 'and', left, right } : left ?? right;
}

/**
 * The marker a package inherits from the edge that requires it. On an edge, `extra == "socks"`
 * names an extra of the requiring package (the lock holds the child because some dependant
 * asked for that extra), not one of the project's: those terms are taken as true and removed,
 * the rest kept (`python_version < "3.11" and extra == "x"` → `python_version < "3.11"`).
 * `undefined` when nothing is left: the edge requires the package unconditionally. A marker
 * without `extra`, or one that does not parse, is returned as written.
 *
 * @example
 * ```ts
 * inheritedMarker('extra == "socks"'); // undefined
 * inheritedMarker('python_version < "3.11" and extra == "x"'); // 'python_version < "3.11"'
 * ```
 */
export function inheritedMarker(marker: string): string | undefined {
  if (!/\bextra\b/.test(marker)) return marker;
  let node: MarkerNode;
  try {
    node = parseMarker(marker);
  } catch (err) {
    if (err instanceof PsrError) return marker;
    throw err;
  }
  const kept = dropExtraTerms(node);
  return kept === node ? marker : kept && printMarker(kept);
}
