import { isAbsolute, relative, sep } from 'node:path';

/**
 * True when `path` is `root` or lies inside it, compared as paths (not string prefixes, so
 * `/a/bc` is not inside `/a/b`, and a folder named `..x` is not a way out).
 *
 * @example
 * ```ts
 * isInside('/repo', '/repo/services/api/requirements.txt'); // true
 * isInside('/repo/api', '/repo/base.txt'); // false
 * ```
 */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
