/** Where psr keeps downloaded advisory data, compiled indexes and API responses. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The cache directory: `$PSR_CACHE_DIR`, else `$XDG_CACHE_HOME/psr`, else `~/.cache/psr`.
 *
 * @example
 * ```ts
 * resolveCacheDir({ PSR_CACHE_DIR: '/tmp/c' }); // '/tmp/c'
 * ```
 */
export function resolveCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env['PSR_CACHE_DIR']) return resolve(env['PSR_CACHE_DIR']);
  if (env['XDG_CACHE_HOME']) return join(resolve(env['XDG_CACHE_HOME']), 'psr');
  return join(homedir(), '.cache', 'psr');
}
