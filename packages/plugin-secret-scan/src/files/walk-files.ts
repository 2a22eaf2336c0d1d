import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { type TrackedPaths, trackedPaths } from './git-tracked.js';

/** A regular file found under the scan root. */
export interface WalkedFile {
  absolute: string;
  /** Relative to the root, forward slashes. */
  relative: string;
}

/** What the walk passed over without reading. */
export interface WalkSkips {
  /** Symlinks are never followed (they may leave the tree or loop). */
  symlinks: number;
  /** Paths ignored by .gitignore (a folder counts once); tracked files are never ignored. */
  gitignored: number;
  /** Paths allowlisted by the config. */
  allowlisted: number;
}

async function loadIgnore(dir: string, names: readonly string[]): Promise<Ignore | undefined> {
  let ig: Ignore | undefined;
  for (const name of names) {
    try {
      const text = await readFile(path.join(dir, name), 'utf8');
      ig = (ig ?? ignore()).add(text);
    } catch {
      // no such file: nothing to ignore here
    }
  }
  return ig;
}

/**
 * Walk a directory tree depth-first, yielding regular files. Honors `.gitignore` files at every
 * level (and `.git/info/exclude` at the root) with the `ignore` package, except for files git
 * tracks (as git does: a committed `.env` later listed in `.gitignore` is still in the
 * repository), never enters `.git`, never follows symlinks, and skips paths the config allowlists.
 *
 * @example
 * ```ts
 * for await (const f of walkFiles('/repo', { respectGitignore: true, skipPath: () => false }, skips)) console.log(f.relative);
 * ```
 */
export async function* walkFiles(
  root: string,
  options: { respectGitignore: boolean; skipPath: (relative: string) => boolean },
  skips: WalkSkips,
): AsyncGenerator<WalkedFile> {
  /** `ignored`: the folder itself is .gitignored; only tracked files below it are walked. */
  type Frame = { dir: string; rel: string; ignores: Array<{ base: string; ig: Ignore }>; ignored: boolean };
  const rootIgnores: Frame['ignores'] = [];
  let tracked: TrackedPaths | undefined;
  if (options.respectGitignore) {
    tracked = await trackedPaths(root);
    const ig = await loadIgnore(root, ['.gitignore']);
    const exclude = await loadIgnore(path.join(root, '.git', 'info'), ['exclude']);
    if (ig) rootIgnores.push({ base: '', ig });
    if (exclude) rootIgnores.push({ base: '', ig: exclude });
  }
  const stack: Frame[] = [{ dir: root, rel: '', ignores: rootIgnores, ignored: false }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    let entries;
    try {
      entries = await readdir(frame.dir, { withFileTypes: true });
    } catch {
      continue; // unreadable directory: nothing to scan
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // files in name order
    const subdirs: Frame[] = [];
    for (const entry of entries) {
      if (entry.name === '.git' && entry.isDirectory()) continue;
      const rel = frame.rel ? `${frame.rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        skips.symlinks++;
        continue;
      }
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue;
      const probe = isDir ? `${rel}/` : rel;
      const ignored = frame.ignored || frame.ignores.some(({ base, ig }) => ig.ignores(base ? probe.slice(base.length + 1) : probe));
      if (ignored && !(isDir ? tracked?.dirs.has(rel) : tracked?.files.has(rel))) {
        skips.gitignored++;
        continue;
      }
      if (options.skipPath(rel)) {
        skips.allowlisted++;
        continue;
      }
      const absolute = path.join(frame.dir, entry.name);
      if (isDir) {
        let ignores = frame.ignores;
        if (options.respectGitignore) {
          const ig = await loadIgnore(absolute, ['.gitignore']);
          if (ig) ignores = [...ignores, { base: rel, ig }];
        }
        subdirs.push({ dir: absolute, rel, ignores, ignored });
      } else {
        yield { absolute, relative: rel };
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}
