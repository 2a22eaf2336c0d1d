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
/** One clause of a PEP 440 specifier set: an operator and one version (spaces around allowed). */
const SPECIFIER_CLAUSE = /^\s*(?:~=|===|==|!=|<=|>=|<|>)\s*[^\s,]+\s*$/;
const OPERATORS = '==, !=, <, <=, >, >=, ~= or ===';
const EXACT_PIN = /^==\s*([^\s*]+)$/;

/**
 * Parse one PEP 508 requirement (`requests[socks]>=2.31 ; python_version >= "3.8"`,
 * `pkg @ https://…`). Returns `undefined` when the text is not one, as pip would refuse it: no
 * name first, an unclosed `[`, or a version specifier that is not clauses of an operator and
 * one version (`pkg=>2`, `pkg==1.0 extra`); {@link requirementProblem} then says what is wrong.
 * Versions are not checked here: an invalid pinned version is the scan's to report.
 */
export function parseRequirement(text: string): Requirement | undefined {
  const req = splitRequirement(text);
  return req === undefined || typeof req === 'string' ? undefined : req;
}

/**
 * What is wrong with a text {@link parseRequirement} refuses, for a warning (`undefined` when it
 * is a requirement).
 *
 * @example
 * ```ts
 * requirementProblem('django=>2'); // 'version specifier "=>2" is not an operator (==, !=, <, <=, >, >=, ~= or ===) and one version'
 * ```
 */
export function requirementProblem(text: string): string | undefined {
  const req = splitRequirement(text);
  if (req === undefined) return NAME_RE.test(text) ? 'the extras\' "[" is not closed' : 'it does not start with a package name';
  return typeof req === 'string' ? `version specifier "${req}" is not an operator (${OPERATORS}) and one version` : undefined;
}

/** The requirement, `undefined` when there is no name or `[` is unclosed, or the invalid specifier. */
function splitRequirement(text: string): Requirement | string | undefined {
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
  if (spec !== '' && !isSpecifierSet(spec)) return spec;
  req.specifier = spec.replace(WHITESPACE_RUN, '');
  return req;
}

/** Whether `spec` is comma-separated clauses of an operator and one version (PEP 440's shape). */
function isSpecifierSet(spec: string): boolean {
  // Most specifiers are one clause: tested without splitting.
  if (!spec.includes(',')) return SPECIFIER_CLAUSE.test(spec);
  return spec.split(',').every((clause) => SPECIFIER_CLAUSE.test(clause));
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
