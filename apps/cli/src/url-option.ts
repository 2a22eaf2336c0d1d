import { ErrorCodes, PsrError } from '@psr/core/errors';
import { baseUrlProblem } from '@psr/osv/base-url';

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
  const problem = baseUrlProblem(value, `--${option} https://osv.example.org/api`);
  // A value that is no URL is quoted right after the option; the others are never repeated:
  // what sits in them is usually a credential, and the URL is named in every report and log line.
  if (problem) throw new PsrError(ErrorCodes.USAGE, `${shownAs}${problem.kind === 'not-http' ? ' ' : ': '}${problem.message}`, { hint: problem.hint });
  return value;
}
