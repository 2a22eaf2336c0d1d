import { normalizePypiName } from './pypi-name.js';
import type { Unresolvable } from './model.js';

/** A PEP 508 requirement split into its parts (nothing evaluated). */
export interface Requirement {
  /** The name as written. */
  rawName: string;
  /** PEP 503-normalised name. */
  name: string;
  extras: string[];
  /** Version specifier as written, without parentheses (`>=1,<2`), or `''`. */
  specifier: string;
  /** The URL of a `name @ url` requirement. */
  url?: string;
  marker?: string;
}

const NAME_RE = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;
const WHITESPACE_RUN = /\s+/g;
const ARBITRARY_PIN = /^===\s*(\S+)$/;
const EXACT_PIN = /^==\s*([^\s*]+)$/;

/**
 * Parse one PEP 508 requirement (`requests[socks]>=2.31 ; python_version >= "3.8"`,
 * `pkg @ https://…`). Returns `undefined` when the text does not start with a name.
 */
export function parseRequirement(text: string): Requirement | undefined {
  const m = NAME_RE.exec(text);
  if (!m) return undefined;
  const rawName = m[1]!;
  let rest = text.slice(m[0].length);
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return undefined;
    extras = rest
      .slice(1, close)
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e.length > 0)
      .map(normalizePypiName);
    rest = rest.slice(close + 1).trimStart();
  }
  const req: Requirement = { rawName, name: normalizePypiName(rawName), extras, specifier: '' };
  if (rest.startsWith('@')) {
    // PEP 508: in `name @ url ; marker` the `;` must follow whitespace, since URLs may contain `;`.
    const sep = /\s;/.exec(rest);
    req.url = (sep ? rest.slice(1, sep.index) : rest.slice(1)).trim();
    if (sep) req.marker = rest.slice(sep.index + 2).trim();
    return req;
  }
  const semi = rest.indexOf(';');
  let spec = semi === -1 ? rest : rest.slice(0, semi);
  if (semi !== -1) req.marker = rest.slice(semi + 1).trim();
  spec = spec.trim();
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1).trim();
  req.specifier = spec.replace(WHITESPACE_RUN, '');
  return req;
}

/**
 * The exact version a specifier pins, or `undefined`. Only `==X` (without a `*` wildcard)
 * and `===X` pin; `==1.2.*`, `>=`, `~=` and ranges do not.
 */
export function pinnedVersion(specifier: string): string | undefined {
  // Runs once per requirement: a range is ruled out without splitting, a lone clause is not split.
  if (!specifier.includes('==')) return undefined;
  if (!specifier.includes(',')) return clausePin(specifier.trim());
  const clauses = specifier.split(',');
  for (let i = 0; i < clauses.length; i++) {
    const pin = clausePin(clauses[i]!.trim());
    if (pin !== undefined) return pin;
  }
  return undefined;
}

/** The version one trimmed clause pins (`==X` without `*`, or `===X`). */
function clausePin(clause: string): string | undefined {
  if (!clause.startsWith('==')) return undefined;
  const arb = clause.startsWith('===') ? ARBITRARY_PIN.exec(clause) : null;
  if (arb) return arb[1];
  return EXACT_PIN.exec(clause)?.[1];
}

const VCS_PREFIX = /^(git|hg|svn|bzr)\+/i;

/** Classify a direct reference URL/path as VCS, URL or path. */
export function classifyReference(spec: string): Unresolvable {
  if (VCS_PREFIX.test(spec)) return { reason: 'vcs', spec };
  if (/^file:/i.test(spec)) return { reason: 'path', spec };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) return { reason: 'url', spec };
  return { reason: 'path', spec };
}
