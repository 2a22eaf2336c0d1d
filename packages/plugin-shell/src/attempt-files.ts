/**
 * The temporary files of one attempt: the script holding a `run:` command, and the
 * `$PSR_OUTPUT` file. They live in one private directory per user, `<tmp>/psr-shell-<uid>`
 * (mode 0700, checked to be ours), reused by every attempt and every psr process, so an attempt
 * costs a couple of file operations rather than a `mkdtemp` + `rm -r`, and a psr process that
 * is killed leaves no directory behind. Names are random, so concurrent attempts never collide;
 * each attempt removes its own files.
 */
import { randomUUID } from 'node:crypto';
import { constants, existsSync, rmSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let scratch: Promise<string> | undefined;

function scratchDir(): Promise<string> {
  scratch ??= prepareScratchDir(tmpdir());
  return scratch;
}

/**
 * The per-user scratch directory under `base`, created if needed. When the path exists but is
 * not a directory we own with no access for others (another user made it first, or a symlink
 * was planted there), a fresh private `mkdtemp` directory is used instead and removed at exit.
 *
 * @example
 * ```ts
 * await prepareScratchDir('/tmp'); // '/tmp/psr-shell-1000'
 * ```
 */
export async function prepareScratchDir(base: string): Promise<string> {
  const uid = process.getuid?.();
  const dir = join(base, `psr-shell-${uid ?? 'user'}`);
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const info = await lstat(dir);
  if (info.isDirectory() && (uid === undefined || info.uid === uid) && (info.mode & 0o077) === 0) return dir;
  const fresh = await mkdtemp(join(base, 'psr-shell-'));
  process.once('exit', () => rmSync(fresh, { recursive: true, force: true }));
  return fresh;
}

/** What {@link AttemptFiles.readOutput} found. */
export type OutputFileContent =
  | { kind: 'absent' }
  | { kind: 'text'; text: string }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'not-a-file' };

/** One attempt's files. The `$PSR_OUTPUT` file is not pre-created: the task's first write creates it. */
export interface AttemptFiles {
  readonly outputPath: string;
  /** Write `text` as this attempt's script (mode 0700, never overwriting); returns its path. */
  writeScript(text: string, extension: string): Promise<string>;
  /** Read the `$PSR_OUTPUT` file, refusing more than `maxBytes`. */
  readOutput(maxBytes: number): Promise<OutputFileContent>;
  /** Remove every file of the attempt. */
  remove(): Promise<void>;
}

/**
 * Reserve the files of one attempt.
 *
 * @example
 * ```ts
 * const files = await createAttemptFiles();
 * const script = await files.writeScript('echo n=1 >> "$PSR_OUTPUT"', '.sh');
 * // … run it with PSR_OUTPUT=files.outputPath …
 * const output = await files.readOutput(1 << 20);
 * await files.remove();
 * ```
 */
export async function createAttemptFiles(): Promise<AttemptFiles> {
  const dir = await scratchDir();
  const id = randomUUID();
  const outputPath = join(dir, `${id}.out`);
  let scriptPath: string | undefined;
  let outputMayExist = true;
  return {
    outputPath,
    async writeScript(text, extension) {
      scriptPath = join(dir, `${id}${extension}`);
      await writeFile(scriptPath, text, { mode: 0o700, flag: 'wx' });
      return scriptPath;
    },
    async readOutput(maxBytes) {
      // Most tasks write no outputs. One synchronous stat answers that in microseconds, where
      // an async open would cost a thread-pool round trip and an ENOENT error object per task.
      if (!existsSync(outputPath)) {
        outputMayExist = false;
        return { kind: 'absent' };
      }
      outputMayExist = true;
      let handle;
      try {
        // O_NONBLOCK: a task that replaced the file with a FIFO must not hang psr on open().
        handle = await open(outputPath, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
        throw error;
      }
      try {
        const info = await handle.stat();
        if (!info.isFile()) return { kind: 'not-a-file' };
        const size = info.size;
        if (size > maxBytes) return { kind: 'too-large', bytes: size };
        return { kind: 'text', text: await handle.readFile('utf8') };
      } finally {
        await handle.close();
      }
    },
    async remove() {
      await Promise.all([
        outputMayExist ? removeIfPresent(outputPath) : undefined,
        scriptPath === undefined ? undefined : removeIfPresent(scriptPath),
      ]);
    },
  };
}

/** One `unlink` (where `rm({ force })` costs an `lstat` too); a file that is not there is fine. */
async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    // The task replaced the file with a directory: remove that too.
    if (code === 'EISDIR' || code === 'EPERM') await rm(path, { recursive: true, force: true });
    else throw error;
  }
}
