/** Atomic file writes: a reader sees the old file or the new one, never half of one. */
import { randomBytes } from 'node:crypto';
// Synchronous fs on purpose, also behind the async API: the promise API would cost every process
// the load of `node:fs/promises` (FileHandle, streams) and a thread-pool round trip per call.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Write `data` to `path` through a temporary file in the same directory and a rename.
 *
 * @example
 * ```ts
 * await writeFileAtomic('/tmp/psr/meta.json', JSON.stringify({ ok: true }));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  writeFileAtomicSync(path, data);
}

/**
 * Synchronous {@link writeFileAtomic}.
 *
 * @example
 * ```ts
 * writeFileAtomicSync('/tmp/psr/meta.json', '{}');
 * ```
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
