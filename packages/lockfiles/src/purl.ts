import { PackageURL } from 'packageurl-js';
import type { Ecosystem } from './model.js';

/** Package URL of a dependency (version left out when there is none). */
export function purlFor(ecosystem: Ecosystem, name: string, version: string | undefined): string {
  if (ecosystem === 'npm') {
    const slash = name.startsWith('@') ? name.indexOf('/') : -1;
    const namespace = slash > 0 ? name.slice(0, slash) : undefined;
    const bare = slash > 0 ? name.slice(slash + 1) : name;
    return new PackageURL('npm', namespace, bare, version, undefined, undefined).toString();
  }
  return new PackageURL('pypi', undefined, name, version, undefined, undefined).toString();
}
