/**
 * `omit`: dependency groups a scan leaves out, as `npm audit --omit dev` and `pnpm audit --prod`
 * do — a production image never installs them. Groups are the dependency model's
 * (docs/lockfiles.md): a package production and development both need is `main`, so leaving
 * out `dev` never drops what production installs.
 */

/**
 * What `omit` accepts: `dev`, `optional` (npm optional dependencies and every Python extra),
 * `optional:<extra>` (one extra) and `group:<name>` (a PEP 735, Poetry, PDM or uv group).
 */
export const OMIT_GROUP = /^(?:dev|optional|optional:\S+|group:\S+)$/;

/**
 * Why `values` cannot be an `omit` list, or `undefined` when it can.
 *
 * @example
 * ```ts
 * omitProblem(['dev']); // undefined
 * omitProblem(['main']); // 'omit main would leave out what production installs: …'
 * ```
 */
export function omitProblem(values: readonly string[]): string | undefined {
  for (const v of values) {
    if (v === 'main') return 'omit main would leave out what production installs: nothing worth scanning would be left';
    // psr names every tool's dev group `dev`: `group:dev` would match nothing and omit nothing.
    if (v === 'group:dev' || v === 'group:develop') return `omit ${v} matches no dependency: the dev group of Poetry, uv, PDM, Pipenv and PEP 735 is called dev (omit dev)`;
    if (v === 'group:main' || v === 'group:default') return `omit ${v} would leave out what production installs: nothing worth scanning would be left`;
    if (!OMIT_GROUP.test(v)) return `omit ${JSON.stringify(v)} is not a dependency group`;
  }
  return undefined;
}

/** The hint for an {@link omitProblem}. */
export const OMIT_HINT = 'use dev, optional, optional:<extra> or group:<name> (e.g. --omit dev, or omit: [dev, group:docs])';

/**
 * Whether a dependency of `group` is left out by `omit` (a list {@link omitProblem} accepts). A
 * plain string too: a report's findings name their group as one (`package.group`).
 *
 * @example
 * ```ts
 * isOmitted('optional:socks', ['optional']); // true
 * isOmitted('main', ['dev']); // false
 * ```
 */
export function isOmitted(group: string, omit: readonly string[]): boolean {
  return omit.some((o) => o === group || (o === 'optional' && group.startsWith('optional:')));
}
