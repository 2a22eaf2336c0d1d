import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The path a finding location carries: relative to the scanned root, with forward slashes on
 * every OS, so reports are identical across machines and SARIF locations resolve in
 * code-scanning UIs. A file outside the root that the scan was led to (a `-r ../common.txt`
 * include) keeps its `../` form rather than an absolute, machine-specific path; a file on
 * another Windows drive, which has no relative form, keeps its absolute path.
 *
 * @example
 * ```ts
 * toReportPath('/work/repo', '/work/repo/services/api/requirements.txt'); // 'services/api/requirements.txt'
 * toReportPath('/work/repo', 'requirements.txt');                         // 'requirements.txt'
 * toReportPath('/work/repo', '/work/common/base.txt');                    // '../common/base.txt'
 * ```
 */
export function toReportPath(root: string, file: string): string {
  const absoluteRoot = resolve(root);
  const rel = relative(absoluteRoot, resolve(absoluteRoot, file));
  const path = isAbsolute(rel) ? rel : rel === '' ? '.' : rel;
  // Only the platform separator is converted: on POSIX a backslash is part of a file name.
  return sep === '/' ? path : path.split(sep).join('/');
}
