import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import { purlFor } from './purl.js';

// Expected values are what packageurl-js 2.0.1 writes for the same input; the last test holds
// purlFor to the library itself on every combination of awkward names and versions.
describe('purlFor', () => {
  it('writes PyPI purls with PEP 503-style names and percent-encoded versions', () => {
    expect(purlFor('PyPI', 'Foo_Bar', '1.0')).toBe('pkg:pypi/foo-bar@1.0');
    expect(purlFor('PyPI', 'zope.interface', '5.4.0')).toBe('pkg:pypi/zope.interface@5.4.0');
    expect(purlFor('PyPI', 'torch', '2.0.0+cu118')).toBe('pkg:pypi/torch@2.0.0+cu118');
    expect(purlFor('PyPI', 'pkg', '1!2.0 ')).toBe('pkg:pypi/pkg@1!2.0');
    expect(purlFor('PyPI', 'päckage', 'v1:2')).toBe('pkg:pypi/p%C3%A4ckage@v1:2');
    expect(purlFor('PyPI', 'x?y#z', 'a/b')).toBe('pkg:pypi/x%3Fy%23z@a%2Fb');
  });

  it('leaves the version out when there is none', () => {
    expect(purlFor('PyPI', 'flask', undefined)).toBe('pkg:pypi/flask');
    expect(purlFor('npm', 'lodash', ' ')).toBe('pkg:npm/lodash');
  });

  it('writes npm scopes as a lowercased, encoded namespace', () => {
    expect(purlFor('npm', '@Types/Node', '20.1.0')).toBe('pkg:npm/%40types/node@20.1.0');
    expect(purlFor('npm', '@scope/a/b', '1.0.0-rc.1+build.5')).toBe('pkg:npm/%40scope/a%2Fb@1.0.0-rc.1+build.5');
    expect(purlFor('npm', 'Foo_Bar', '1.0.0')).toBe('pkg:npm/foo_bar@1.0.0');
  });

  it('refuses an empty name', () => {
    expect(() => purlFor('PyPI', '  ', '1.0')).toThrow('Invalid purl: "name" is a required component');
    expect(() => purlFor('npm', '@s/ ', '1.0')).toThrow('Invalid purl: "name" is a required component');
  });

  it('writes exactly what packageurl-js writes', () => {
    const names = ['flask', 'Foo_Bar', 'zope.interface', ' Django ', 'päckage', 'x?y#z', 'a b', 'ünï_cødé', 'A.B-C_D', '100%', 'x:y'];
    const npmNames = ['lodash', '@Types/Node', '@scope/a/b', '@s/x y', 'Foo_Bar', '@a:b/c', 'left-pad'];
    const versions = [undefined, '1.0', '2.0.0+cu118', '1!2.0', 'v1:2', 'a/b', '1.0.0-rc.1+build.5', ' 3.1 ', '1.0#x', '1.0?x', '1.0 beta', '%20'];
    const library = (type: string, name: string, version: string | undefined): string => {
      const slash = type === 'npm' && name.startsWith('@') ? name.indexOf('/') : -1;
      const namespace = slash > 0 ? name.slice(0, slash) : undefined;
      return new PackageURL(type, namespace, slash > 0 ? name.slice(slash + 1) : name, version, undefined, undefined).toString();
    };
    let compared = 0;
    for (const version of versions) {
      for (const name of names) {
        expect(purlFor('PyPI', name, version), `${name} ${version}`).toBe(library('pypi', name, version));
        compared++;
      }
      for (const name of npmNames) {
        expect(purlFor('npm', name, version), `${name} ${version}`).toBe(library('npm', name, version));
        compared++;
      }
    }
    expect(compared).toBe(versions.length * (names.length + npmNames.length));
  });
});
