/**
 * The ecosystem names osv.dev publishes data under, as the OSV schema spells them. The names are
 * case-sensitive everywhere osv.dev uses them (`<base>/PyPI/all.zip`; `pypi/all.zip` is a 404),
 * so a name that differs from one of these only in case is a misspelling, caught before any
 * download. The list need not be complete: a name not on it is passed on as given (osv.dev adds
 * ecosystems, and a mirror may publish others).
 */

/** Ecosystems of osv.dev's exports (from the OSV schema's list), by their exact spelling. */
export const OSV_ECOSYSTEMS: readonly string[] = [
  'AlmaLinux',
  'Alpine',
  'Android',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'GHC',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'Ubuntu',
  'Wolfi',
];

/**
 * The right spelling of `name` when it differs from a known osv.dev ecosystem only in case
 * (`pypi` → `PyPI`); `undefined` when it is spelled right, or is not a known ecosystem at all.
 *
 * @example
 * ```ts
 * misspelledEcosystem('pypi'); // 'PyPI'
 * misspelledEcosystem('PyPI'); // undefined
 * misspelledEcosystem('Cargo'); // undefined (not an osv.dev ecosystem: the server answers)
 * ```
 */
export function misspelledEcosystem(name: string): string | undefined {
  const lower = name.toLowerCase();
  const known = OSV_ECOSYSTEMS.find((e) => e.toLowerCase() === lower);
  return known !== undefined && known !== name ? known : undefined;
}
