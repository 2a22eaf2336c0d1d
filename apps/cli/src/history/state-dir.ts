/**
 * Where run history lives: `--state-dir`, else `$PSR_STATE_DIR`, else `.psr/` beside the
 * workflow (or in the current directory for commands that name no workflow).
 */
import { dirname, join, resolve } from 'node:path';
import type { CliIO } from '../io.js';

/** The `--state-dir` option, shared by every command that reads or writes history. */
export const stateDirOption = {
  name: 'state-dir',
  type: 'string',
  valueName: 'dir',
  description: 'Folder of the run history database (default: .psr/ beside the workflow, or $PSR_STATE_DIR)',
} as const;

/**
 * Resolve the state directory.
 *
 * @example
 * ```ts
 * stateDirFor(io, { flag: undefined, workflowFile: '/repo/ci/wf.yml' }); // '/repo/ci/.psr'
 * ```
 */
export function stateDirFor(io: Pick<CliIO, 'cwd' | 'env'>, where: { flag?: string; workflowFile?: string }): string {
  if (where.flag) return resolve(io.cwd, where.flag);
  const fromEnv = io.env['PSR_STATE_DIR'];
  if (fromEnv) return resolve(io.cwd, fromEnv);
  return where.workflowFile ? join(dirname(resolve(io.cwd, where.workflowFile)), '.psr') : join(io.cwd, '.psr');
}
