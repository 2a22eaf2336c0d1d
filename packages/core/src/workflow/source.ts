/**
 * Reading a workflow file safely: a clear error for a missing file, a directory, a huge
 * file or a binary one, before the YAML parser ever sees it.
 */
import { readFile, stat } from 'node:fs/promises';
import { ErrorCodes, PsrError } from '../errors.js';

/** Files above this size are refused: no hand-written workflow comes close. */
export const MAX_WORKFLOW_BYTES = 5 * 1024 * 1024;

/** Read a workflow file as UTF-8 text, or throw a `PSR_FILE_*` error. */
export async function readWorkflowFile(file: string): Promise<string> {
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new PsrError(ErrorCodes.FILE_READ, `cannot read ${file}: it is a directory`, {
        hint: 'pass the workflow file itself, e.g. psr run ./workflows/ci.yml',
      });
    }
    size = info.size;
  } catch (cause) {
    if (cause instanceof PsrError) throw cause;
    throw readError(file, cause);
  }
  if (size > MAX_WORKFLOW_BYTES) throw tooLarge(file, size);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw readError(file, cause);
  }
  // The file may have grown between stat and read (or be a device such as /dev/zero's cousin).
  if (bytes.length > MAX_WORKFLOW_BYTES) throw tooLarge(file, bytes.length);
  return decodeWorkflowText(bytes, file);
}

/** Decode bytes as UTF-8, refusing NUL bytes and invalid sequences (a binary file). */
export function decodeWorkflowText(bytes: Uint8Array, file: string): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new PsrError(ErrorCodes.FILE_BINARY, `${file} is a binary file (NUL byte at offset ${nul}), not a YAML workflow`, {
      hint: 'pass a YAML text file; check that the path points at the workflow and not at a build output',
    });
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (cause) {
    throw new PsrError(ErrorCodes.FILE_BINARY, `${file} is not valid UTF-8 text`, {
      hint: 'save the workflow as UTF-8',
      cause,
    });
  }
}

/** Refuse text that is too large (for workflows given as text rather than a path). */
export function checkWorkflowTextSize(text: string, file: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_WORKFLOW_BYTES) throw tooLarge(file, bytes);
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    throw new PsrError(ErrorCodes.FILE_BINARY, `${file} contains a NUL character at offset ${nul}: binary data, not a YAML workflow`, {
      hint: 'pass YAML text',
    });
  }
}

function tooLarge(file: string, size: number): PsrError {
  return new PsrError(
    ErrorCodes.FILE_TOO_LARGE,
    `${file} is ${(size / 1024 / 1024).toFixed(1)} MB; workflow files may be at most ${MAX_WORKFLOW_BYTES / 1024 / 1024} MB`,
    { hint: 'check the path; a workflow this large is probably generated data, not a workflow' },
  );
}

function readError(file: string, cause: unknown): PsrError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a parent is not a directory' : code === 'ELOOP' ? 'too many symbolic links' : ((cause as Error)?.message ?? String(cause));
  return new PsrError(ErrorCodes.FILE_READ, `cannot read ${file}: ${why}`, {
    hint: code === 'ENOENT' ? 'check the path (it is relative to the current directory)' : 'check that the file exists and is readable',
    cause,
  });
}
