import type { Unresolvable } from './model.js';

/** What an npm dependency spec (`^1.2.0`, `npm:other@1`, `github:u/r`, `file:../x`) asks for. */
export interface NpmSpec {
  /** The registry package really installed (differs for `npm:` aliases). */
  name: string;
  /** The range or exact version for registry specs. */
  range?: string;
  unresolvable?: Unresolvable;
}

const EXACT_SEMVER = /^=?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

/** The exact version a range pins (`1.2.3`, `=1.2.3`), or `undefined` for real ranges. */
export function exactNpmVersion(range: string): string | undefined {
  return EXACT_SEMVER.exec(range.trim())?.[1];
}

/** Classify a spec as npm (package.json, yarn, pnpm) writes it. */
export function classifyNpmSpec(name: string, spec: string): NpmSpec {
  const s = spec.trim();
  if (s.startsWith('npm:')) {
    const target = s.slice(4);
    const at = target.lastIndexOf('@');
    if (at > 0) return { name: target.slice(0, at), range: target.slice(at + 1) };
    return { name: target, range: '*' };
  }
  if (s.startsWith('workspace:')) return { name, unresolvable: { reason: 'workspace', spec: s } };
  if (s.startsWith('link:') || s.startsWith('portal:')) return { name, unresolvable: { reason: 'link', spec: s } };
  if (s.startsWith('file:') || s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || s.startsWith('~/')) return { name, unresolvable: { reason: 'path', spec: s } };
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(s) || /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(#.*)?$/.test(s)) return { name, unresolvable: { reason: 'vcs', spec: s } };
  if (/^https?:\/\//.test(s)) return { name, unresolvable: { reason: /\.git(#|$)/.test(s) ? 'vcs' : 'url', spec: s } };
  return { name, range: s };
}

/** Classify a lockfile's `resolved` URL: git and local tarballs are not registry installs. */
export function unresolvableFromResolved(resolved: string | undefined): Unresolvable | undefined {
  if (resolved === undefined) return undefined;
  if (/^(git\+|git:|github:|ssh:)/.test(resolved) || /codeload\.github\.com/.test(resolved)) return { reason: 'vcs', spec: resolved };
  if (resolved.startsWith('file:')) return { reason: 'path', spec: resolved };
  return undefined;
}
