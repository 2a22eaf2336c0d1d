/**
 * Error codes of @psr/report (documented in docs/report-format.md). Every one is raised as a
 * `PsrError` with a hint; match errors by `code`.
 *
 * @example
 * ```ts
 * try {
 *   await readReport('baseline.json');
 * } catch (error) {
 *   if (isPsrError(error) && error.code === ReportErrorCodes.READ) console.error('no baseline yet');
 *   else throw error;
 * }
 * ```
 */
export const ReportErrorCodes = {
  /** A report file (e.g. a baseline) is not JSON, not a psr report, or of an unsupported version. */
  INVALID: 'PSR_REPORT_INVALID',
  /** A report file cannot be read (missing, a directory, unreadable). */
  READ: 'PSR_REPORT_READ',
  /** A report cannot be written (permissions, a parent that is a file, a full disk). */
  WRITE: 'PSR_REPORT_WRITE',
  /** An output path resolves, through a symlink, outside the directory it names. */
  UNSAFE_PATH: 'PSR_REPORT_UNSAFE_PATH',
  /** An unknown output format was asked for. */
  FORMAT: 'PSR_REPORT_FORMAT',
} as const;
