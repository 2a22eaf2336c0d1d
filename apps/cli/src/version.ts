declare const __PSR_VERSION__: string | undefined;

/** The version of psr, baked in by tsup at build time (read from package.json when running from source). */
export const PSR_VERSION: string = typeof __PSR_VERSION__ === 'string' ? __PSR_VERSION__ : '0.0.0-dev';

/** First arguments that print {@link PSR_VERSION}: `psr --version`, `-v`, `-V`, `psr version`. */
export function isVersionRequest(first: string | undefined): boolean {
  return first === '--version' || first === '-v' || first === '-V' || first === 'version';
}
