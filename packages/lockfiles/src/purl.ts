import type { Ecosystem } from './model.js';

/**
 * Package URL of a dependency (version left out when there is none), exactly as packageurl-js
 * 2 writes the `pypi` and `npm` types: name trimmed and lowercased (PyPI `_` → `-`), an npm
 * scope as the namespace, components percent-encoded with `:` and `/` (namespace) or `:` and
 * `+` (version) kept. Written out here because loading packageurl-js costs every scan more than
 * all its purls together; `purl.test.ts` holds the output to the library's (a dev dependency)
 * on every awkward name and version.
 *
 * @example
 * ```ts
 * purlFor('PyPI', 'Foo_Bar', '1.0+cpu'); // 'pkg:pypi/foo-bar@1.0+cpu'
 * purlFor('npm', '@Types/node', '20.1.0'); // 'pkg:npm/%40types/node@20.1.0'
 * ```
 */
export function purlFor(ecosystem: Ecosystem, name: string, version: string | undefined): string {
  const slash = ecosystem === 'npm' && name.startsWith('@') ? name.indexOf('/') : -1;
  const namespace = slash > 0 ? name.slice(0, slash).toLowerCase() : undefined;
  let bare = (slash > 0 ? name.slice(slash + 1) : name).trim().toLowerCase();
  if (ecosystem === 'PyPI') bare = bare.replaceAll('_', '-');
  if (bare === '') throw new Error('Invalid purl: "name" is a required component');
  let purl = ecosystem === 'npm' ? 'pkg:npm/' : 'pkg:pypi/';
  if (namespace) purl += `${encodeURIComponent(namespace).replace(/%3A/g, ':').replace(/%2F/g, '/')}/`;
  purl += encodeURIComponent(bare);
  const v = version?.trim();
  if (v) {
    const encoded = encodeURIComponent(v);
    // Most versions need no escape at all (this runs once per dependency).
    purl += `@${encoded.includes('%') ? encoded.replace(/%3A/g, ':').replace(/%2B/g, '+') : encoded}`;
  }
  return purl;
}
