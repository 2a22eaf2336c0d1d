import { ErrorCodes, PsrError } from '@psr/core/errors';

/**
 * `value` of the option `--<option>` when it is an http(s) URL; else a usage error (exit 2). A
 * malformed URL is a mistake on the command line, found before anything is fetched, not a
 * failure of the data source it was meant to reach (which `psr scan` reports with exit 3).
 *
 * @example
 * ```ts
 * httpUrlOption('osv-api-url', 'http://127.0.0.1:8080'); // 'http://127.0.0.1:8080'
 * httpUrlOption('osv-api-url', 'notaurl'); // throws PSR_USAGE
 * httpUrlOption('osv-api-url', process.env.PSR_OSV_API_URL, 'PSR_OSV_API_URL'); // the same checks, named after the variable
 * ```
 */
export function httpUrlOption(option: string, value: string, shownAs = `--${option}`): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new PsrError(ErrorCodes.USAGE, `${shownAs} "${value}" is not an http(s) URL`, { hint: `give a base URL such as --${option} https://example.org` });
  // Both are refused before anything is fetched, without echoing the value: what sits there is
  // usually a credential, and the URL is named in every report and log line.
  if (url.username !== '' || url.password !== '')
    throw new PsrError(ErrorCodes.USAGE, `${shownAs}: a URL with a user name or password cannot be requested`, { hint: 'remove the user:password@ part; an API that needs credentials is not supported yet' });
  if (url.search !== '' || url.hash !== '')
    throw new PsrError(ErrorCodes.USAGE, `${shownAs}: a base URL cannot have a query string or fragment (the API's paths are added after it)`, {
      hint: `remove the ?… or #… part, e.g. --${option} https://example.org/osv; an API that needs a key is not supported yet`,
    });
  return value;
}
