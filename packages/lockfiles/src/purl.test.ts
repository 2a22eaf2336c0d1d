import { describe, expect, it } from 'vitest';
import { purlFor } from './purl.js';

// Expected values are what packageurl-js 2.0.1 writes for the same input (checked on 500
// name/version combinations when purlFor replaced it).
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
});
