/**
 * Where `${{ secrets.NAME }}` values come from: `PSR_SECRET_<NAME>` environment variables
 * and a `.env`-style file (`psr run --secrets-file`).
 */
import { readFile, stat } from 'node:fs/promises';
import { ErrorCodes, PsrError } from '../errors.js';

/** Environment variables with this prefix become secrets (`PSR_SECRET_API_TOKEN` → `API_TOKEN`). */
export const SECRET_ENV_PREFIX = 'PSR_SECRET_';

/** A secrets file larger than this is refused (it is surely not a secrets file). */
export const MAX_SECRETS_FILE_BYTES = 1024 * 1024;

/** Options of {@link loadSecrets}. */
export interface LoadSecretsOptions {
  /** Environment to read `PSR_SECRET_*` from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Path of a `.env`-style file (`NAME=value`, quotes, `#` comments, multi-line quoted values). */
  file?: string;
}

/**
 * Collect secrets by name. Values from the file win over the environment (the file was named
 * explicitly on the command line). A `PSR_SECRET_` prefix in the file is accepted and stripped.
 *
 * @throws PsrError `PSR_SECRETS_FILE` when the file is missing, unreadable, binary or too large.
 * @example
 * ```ts
 * const secrets = await loadSecrets({ env: process.env, file: '.secrets.env' });
 * const handle = engine.run(workflow, { secrets });
 * ```
 */
export async function loadSecrets(options: LoadSecretsOptions = {}): Promise<Record<string, string>> {
  const env = options.env ?? process.env;
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(SECRET_ENV_PREFIX) && key.length > SECRET_ENV_PREFIX.length && value !== undefined) {
      secrets[key.slice(SECRET_ENV_PREFIX.length)] = value;
    }
  }
  if (options.file !== undefined) {
    const file = options.file;
    const fail = (why: string, cause?: unknown): never => {
      throw new PsrError(ErrorCodes.SECRETS_FILE, `cannot read secrets file ${file}: ${why}`, {
        hint: 'pass a text file of NAME=value lines, e.g. --secrets-file .secrets.env',
        ...(cause === undefined ? {} : { cause }),
      });
    };
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) fail('not a regular file');
      size = s.size;
    } catch (cause) {
      if ((cause as { code?: string }).code?.startsWith?.('PSR_')) throw cause;
      return fail((cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message, cause);
    }
    if (size > MAX_SECRETS_FILE_BYTES) fail(`it is ${size} bytes, more than the ${MAX_SECRETS_FILE_BYTES} accepted`);
    const buffer = await readFile(file).catch((cause: Error) => fail(cause.message, cause));
    if (buffer.includes(0)) fail('it is a binary file');
    // dotenv's parser is the de-facto `.env` grammar (quotes, escapes, multi-line values); it
    // never touches process.env when called as parse(). Imported here: only a secrets file needs it.
    const { parse } = await import('dotenv');
    for (const [key, value] of Object.entries(parse(buffer))) {
      const name = key.startsWith(SECRET_ENV_PREFIX) ? key.slice(SECRET_ENV_PREFIX.length) : key;
      if (name.length > 0) secrets[name] = value;
    }
  }
  return secrets;
}
