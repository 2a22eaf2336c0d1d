import { execFile } from 'node:child_process';

/** The files git tracks under a folder, relative to it, and every folder holding one. */
export interface TrackedPaths {
  files: ReadonlySet<string>;
  /** Folders (relative, no trailing slash) with a tracked file somewhere below them. */
  dirs: ReadonlySet<string>;
}

/**
 * The files the index tracks under `root` (`git ls-files -z --cached`, paths relative to
 * `root`), or undefined when `root` is not in a git work tree or git is missing. `.gitignore`
 * does not apply to a tracked file, so the walk scans these even where a pattern matches.
 *
 * @example
 * ```ts
 * const tracked = await trackedPaths('/repo');
 * tracked?.files.has('.env'); // committed before .env was added to .gitignore
 * ```
 */
export function trackedPaths(root: string): Promise<TrackedPaths | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['ls-files', '-z', '--cached'], { cwd: root, encoding: 'buffer', maxBuffer: 1 << 30 }, (error, stdout) => {
      if (error) return resolve(undefined);
      const files = new Set<string>();
      const dirs = new Set<string>();
      for (const name of stdout.toString('utf8').split('\0')) {
        if (name === '') continue;
        files.add(name);
        for (let slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
          const dir = name.slice(0, slash);
          if (dirs.has(dir)) break;
          dirs.add(dir);
        }
      }
      resolve({ files, dirs });
    });
  });
}
