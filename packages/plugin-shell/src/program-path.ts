/**
 * Finding a program on a `PATH`: {@link findProgram} checks that a shell or interpreter is
 * installed before anything is spawned; {@link execTarget} names the file the native starter
 * executes, exactly as `execvp` would choose it. Found programs are cached: a lookup is a
 * handful of `stat`/`access` calls, paid once per process, not once per task. Misses are not
 * cached, so a program installed by an earlier task is found by a later one.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

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
  return fileKind(path) === 'executable';
}

/** Whether `path` is a regular file, and whether this process may execute it. */
function fileKind(path: string): 'executable' | 'file' | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  try {
    accessSync(path, constants.X_OK);
    return 'executable';
  } catch {
    return 'file';
  }
}

/** Files {@link execTarget} found, by (cwd, PATH, name). */
const execTargets = new Map<string, string>();

/**
 * The file to execute for `program`, searched on the CHILD's `PATH` the way `execvp` (and so
 * `child_process`) does: a name containing `/` is used as it is (relative to `cwd`); otherwise
 * the first executable regular file `<dir>/<program>` (an empty or relative entry is taken
 * relative to `cwd`), else a non-executable one (the start then fails with `EACCES`, as it would
 * with `execvp`), else `undefined` (`ENOENT`). Without `PATH`, glibc's default `/bin:/usr/bin`
 * is searched.
 *
 * @example
 * ```ts
 * execTarget('make', '/usr/local/bin:/usr/bin', '/repo'); // → '/usr/bin/make'
 * execTarget('./build.sh', undefined, '/repo'); // → './build.sh' (execve resolves it after chdir)
 * ```
 */
export function execTarget(program: string, pathVariable: string | undefined, cwd: string): string | undefined {
  if (program.includes('/')) return program;
  const key = `${cwd}\0${pathVariable}\0${program}`;
  const cached = execTargets.get(key);
  if (cached !== undefined) return cached;
  let notExecutable: string | undefined;
  for (const dir of (pathVariable ?? '/bin:/usr/bin').split(':')) {
    // An empty entry means the current directory, as for execvp.
    const candidate = join(dir === '' ? '.' : dir, program);
    const absolute = isAbsolute(candidate) ? candidate : resolve(cwd, candidate);
    const kind = fileKind(absolute);
    if (kind === 'file') notExecutable ??= absolute;
    if (kind !== 'executable') continue;
    execTargets.set(key, absolute);
    return absolute;
  }
  return notExecutable;
}
