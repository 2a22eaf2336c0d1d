/** Error codes of the scan plugin (documented in docs/errors.md). */
export const ScanErrorCodes = {
  /** No advisory data: no `sources` given and the managed database is empty. */
  NO_DATA: 'PSR_SCAN_NO_DATA',
  /** The ignore file is unreadable or malformed. */
  IGNORE_FILE: 'PSR_SCAN_IGNORE_FILE',
  /** `format` / `output` do not fit together, a format is unknown, or two instances of a matrix task would write one report. */
  OUTPUT: 'PSR_SCAN_OUTPUT',
  /** The baseline report cannot be read. */
  BASELINE: 'PSR_SCAN_BASELINE',
  /** The path to scan does not exist or holds no supported file. */
  PATH: 'PSR_SCAN_PATH',
  /** `python-version` or `platform` is malformed: markers cannot be evaluated for it. */
  TARGET: 'PSR_SCAN_TARGET',
  /** `omit` names no dependency group, or `main`. */
  OMIT: 'PSR_SCAN_OMIT',
} as const;

/** Warning codes a scan report may carry. */
export const ScanWarningCodes = {
  /** A requirement has no exact pin, so it cannot be matched (never guessed). */
  UNPINNED: 'PSR_SCAN_UNPINNED',
  /** A dependency comes from a URL, VCS or path: no registry version to match. */
  UNRESOLVABLE: 'PSR_SCAN_UNRESOLVABLE',
  /** No data source covers this ecosystem: its packages were not checked. */
  NO_COVERAGE: 'PSR_SCAN_NO_COVERAGE',
  /** An installed version the ecosystem cannot order: only explicit version lists were checked. */
  VERSION_INVALID: 'PSR_SCAN_VERSION_INVALID',
  /** An ignore rule passed its `expires` date and no longer suppresses. */
  IGNORE_EXPIRED: 'PSR_SCAN_IGNORE_EXPIRED',
  /** An ignore rule matched no finding, or only what an earlier rule (repeated, or by an alias) already suppresses. */
  IGNORE_UNUSED: 'PSR_SCAN_IGNORE_UNUSED',
  /** Advisory data downloaded by `psr db sync` over a week ago: advisories published since are missing. */
  DATA_STALE: 'PSR_SCAN_DATA_STALE',
  /** The scan is partial (a source failed, a dependency file could not be read): not compared with the baseline. */
  BASELINE_SKIPPED: 'PSR_SCAN_BASELINE_SKIPPED',
  /** The baseline was made with `omit` groups this scan reads: their findings count as new. */
  BASELINE_OMIT: 'PSR_SCAN_BASELINE_OMIT',
  /** The baseline is the report of a partial scan: what it did not see counts as new. */
  BASELINE_PARTIAL: 'PSR_SCAN_BASELINE_PARTIAL',
} as const;
