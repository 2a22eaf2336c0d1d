import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePyprojectToml } from './pyproject-toml.js';

const dir = resolve(import.meta.dirname, '../../fixtures');

describe('pyproject.toml', () => {
  it('reads PEP 621 dependencies, optional-dependencies and PEP 735 groups; only exact pins are pinned', () => {
    const r = parsePyprojectToml(readFileSync(resolve(dir, 'pyproject/pyproject.toml'), 'utf8'), 'pyproject.toml');
    expect(r.dependencies.map((d) => [d.name, d.pinned, d.version, d.group, d.location.line])).toEqual([
      ['pandas', true, '2.1.4', 'main', 6],
      ['sqlalchemy', false, undefined, 'main', 7],
      ['pydantic', true, '2.5.3', 'main', 8],
      ['numpy', false, undefined, 'main', 9],
      ['tzdata', false, undefined, 'main', 10],
      ['mylib', false, undefined, 'main', 11],
      ['boto3', true, '1.34.11', 'optional:s3', 15],
      ['pytest', true, '7.4.4', 'dev', 19],
      ['ruff', false, undefined, 'group:lint', 20],
    ]);
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(by.get('sqlalchemy')).toMatchObject({ extras: ['asyncio'], specifier: '>=2.0,<2.1' });
    expect(by.get('tzdata')?.marker).toBe("sys_platform == 'win32'");
    expect(by.get('mylib')?.unresolvable).toEqual({ reason: 'vcs', spec: 'git+https://github.com/acme/mylib.git@v1.0' });
  });

  it('reads Poetry tables: a bare version is a pin, ^ and ~ are not; git and path are unresolvable', () => {
    const r = parsePyprojectToml(readFileSync(resolve(dir, 'poetry-v2/pyproject.toml'), 'utf8'), 'pyproject.toml');
    expect(r.dependencies.map((d) => [d.name, d.pinned, d.version, d.group, d.location.line, d.unresolvable?.reason])).toEqual([
      ['requests', false, undefined, 'main', 9, undefined],
      ['flask', true, '3.0.0', 'main', 10, undefined],
      ['internal-lib', false, undefined, 'main', 11, 'vcs'],
      ['pytest', false, undefined, 'dev', 14, undefined],
    ]);
  });

  it('skips, at its line and with the reason, a dependency string that is not PEP 508', () => {
    const text = '[project]\nname = "app"\ndependencies = [\n  "flask==3.0.0",\n  "requests=>2",\n  "[oops]",\n  "django==1.0; python_version < \'3.10",\n]\n';
    const r = parsePyprojectToml(text, 'pyproject.toml');
    expect(r.dependencies.map((d) => d.name)).toEqual(['flask', 'django']);
    expect(r.warnings.map((w) => [w.code, w.location?.line, w.message])).toEqual([
      ['PSR_LOCKFILE_SKIPPED', 5, 'requirement "requests=>2" skipped: version specifier "=>2" is not an operator (==, !=, <, <=, >, >=, ~= or ===) and one version'],
      ['PSR_LOCKFILE_SKIPPED', 6, 'requirement "[oops]" skipped: it does not start with a package name'],
      // A malformed marker is said at its line, and the pin is kept.
      ['PSR_LOCKFILE_MARKER', 7, `invalid environment marker "python_version < '3.10": unterminated string at column 18; django is scanned as if it applied`],
    ]);
  });

  it('reports broken TOML at its line', () => {
    expect(() => parsePyprojectToml('[project]\nname = "x"\ndependencies = [\n  "flask==3.0.0",\n', 'pyproject.toml')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE' }));
  });
});
