import { basename, dirname } from 'node:path';
import type { LockfileFormat } from './model.js';

/**
 * The format a file name stands for, or `undefined` for files psr does not read.
 * `requirements*.txt` and any `.txt` inside a `requirements/` folder count as requirements files.
 *
 * @example
 * ```ts
 * detectFormat('app/requirements-dev.txt'); // 'requirements.txt'
 * detectFormat('npm-shrinkwrap.json'); // 'package-lock.json'
 * ```
 */
export function detectFormat(path: string): LockfileFormat | undefined {
  const name = basename(path);
  const lower = name.toLowerCase();
  switch (name) {
    case 'poetry.lock':
    case 'uv.lock':
    case 'Pipfile.lock':
    case 'Pipfile':
    case 'pdm.lock':
    case 'pyproject.toml':
    case 'package-lock.json':
    case 'pnpm-lock.yaml':
    case 'yarn.lock':
    case 'package.json':
      return name;
    case 'npm-shrinkwrap.json':
      return 'package-lock.json';
  }
  if (/^pylock(\.[^.]+)?\.toml$/.test(name)) return 'pylock.toml';
  // requirements.txt, requirements-dev.txt, requirements.prod.txt, dev-requirements.txt, test_requirements.txt
  if (/^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.txt$/.test(lower)) return 'requirements.txt';
  // `requirements/base.txt` layouts; a constraints file there is not installed, so not scanned.
  if (lower.endsWith('.txt') && !lower.startsWith('constraint') && basename(dirname(path)).toLowerCase() === 'requirements') return 'requirements.txt';
  return undefined;
}

/** Python lock formats that win over the `pyproject.toml` / `Pipfile` next to them. */
export const PYTHON_LOCK_FORMATS: readonly LockfileFormat[] = ['poetry.lock', 'uv.lock', 'pdm.lock', 'pylock.toml', 'Pipfile.lock'];
/** JavaScript lock formats that win over the `package.json` next to them (and below them). */
export const JS_LOCK_FORMATS: readonly LockfileFormat[] = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];
