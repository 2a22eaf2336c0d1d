/**
 * Finding a program on `PATH`, the way `execvp` would, so that a missing shell is reported
 * before anything is spawned. Found programs are cached per (PATH, name): the lookup is a
 * handful of `access` calls, paid once per process, not once per task. Misses are not cached,
 * so a program installed by an earlier task is found by a later one.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const cache = new Map<string, string>();

/**
 * Absolute path of `name` on `pathVariable` (a `PATH` value), or `undefined` when absent.
 * A name containing `/` is checked as a path itself.
 *
 * @example
 * ```ts
 * findProgram('bash', process.env.PATH); // → '/usr/bin/bash'
 * findProgram('no-such-shell', process.env.PATH); // → undefined
 * ```
 */
export function findProgram(name: string, pathVariable: string | undefined): string | undefined {
  const key = `${pathVariable ?? ''}\0${name}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let found: string | undefined;
  if (name.includes('/')) {
    found = isExecutableFile(name) ? name : undefined;
  } else {
    for (const dir of (pathVariable ?? '').split(delimiter)) {
      if (dir === '') continue;
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) {
        found = candidate;
        break;
      }
    }
  }
  if (found !== undefined) cache.set(key, found);
  return found;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
