/**
 * What a base URL of OSV data (the API's: `osv-api-url`, `$PSR_OSV_API_URL`; the exports' of
 * `psr db sync --url`) must be.
 * One rule for the scan task's input check and the CLI's options: published on its own
 * (`@psr/osv/base-url`, no imports) so the CLI's CommonJS bin can hold a copy without loading
 * this package.
 */

/** Why a value cannot be a base URL: a message (the value is quoted only when not a URL) and a hint. */
export interface BaseUrlProblem {
  /** `not-http` quotes the value (it is no URL, so holds no credential); the others never repeat it. */
  kind: 'not-http' | 'credentials' | 'query';
  message: string;
  hint: string;
}

/**
 * Why `value` cannot be requested as a base URL, or `undefined` when it can: it must be http(s),
 * without `user:password@` (fetch refuses it) and without a query or fragment (the API's paths
 * would land inside them, and a key there would be named in every report and log line).
 * `example` completes the hint for a value that is no http(s) URL.
 *
 * @example
 * ```ts
 * baseUrlProblem('https://api.osv.dev', 'https://api.osv.dev'); // undefined
 * baseUrlProblem('notaurl', 'https://api.osv.dev')?.message; // '"notaurl" is not an http(s) URL'
 * ```
 */
export function baseUrlProblem(value: string, example: string): BaseUrlProblem | undefined {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return { kind: 'not-http', message: `"${value}" is not an http(s) URL`, hint: `give a base URL, e.g. ${example}` };
  if (url.username !== '' || url.password !== '')
    return { kind: 'credentials', message: 'a URL with a user name or password cannot be requested', hint: 'remove the user:password@ part; an API that needs credentials is not supported yet' };
  if (url.search !== '' || url.hash !== '')
    return {
      kind: 'query',
      message: 'a base URL cannot have a query string or fragment (the API paths are added after it)',
      hint: `remove the ?… or #… part, e.g. ${example}; an API that needs a key is not supported yet`,
    };
  return undefined;
}
