import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUvLock } from './uv-lock.js';

const text = readFileSync(resolve(import.meta.dirname, '../../fixtures/uv/uv.lock'), 'utf8');

describe('uv.lock', () => {
  it('uses the editable project entry for direct deps, extras and dev groups; does not list the project', () => {
    const r = parseUvLock(text, 'uv.lock');
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(by.has('demo-service')).toBe(false);
    expect(r.dependencies).toHaveLength(9);
    expect(by.get('httpx')).toMatchObject({ version: '0.26.0', direct: true, group: 'main', location: { line: 55 } });
    expect(by.get('sniffio')).toMatchObject({ direct: false, path: ['httpx', 'anyio', 'sniffio'], group: 'main' });
    expect(by.get('boto3')).toMatchObject({ direct: true, group: 'optional:s3' });
    expect(by.get('pytest')).toMatchObject({ direct: true, group: 'dev' });
    expect(by.get('iniconfig')).toMatchObject({ direct: false, group: 'dev', path: ['pytest', 'iniconfig'] });
    expect(by.get('pywin32')).toMatchObject({ marker: "sys_platform == 'win32'", version: '306' });
    expect(by.get('vendored-sdk')).toMatchObject({ pinned: false, version: undefined, unresolvable: { reason: 'vcs' } });
    expect(by.get('anyio')?.hashes).toEqual([
      'sha256:e1875bb4b4e2de1669f4bc7869b6d3f54231cdced71605e6e64c9be77e3be50f',
      'sha256:745843b39e829e108e518c489b31dc757de7d2131d53fac32bd8df268227bfee',
    ]);
  });

  it('gives transitive packages the markers of the edges that require them', () => {
    const lock = `version = 1
[[package]]
name = "cli"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "click" }, { name = "rich" }]

[[package]]
name = "click"
version = "8.1.7"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "colorama", marker = "platform_system == 'Windows'" }]

[[package]]
name = "rich"
version = "13.7.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "colorama", marker = "sys_platform == 'win32'" }, { name = "pygments" }]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pygments"
version = "2.17.2"
source = { registry = "https://pypi.org/simple" }
`;
    const r = parseUvLock(lock, 'uv.lock');
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(by.get('colorama')?.marker).toBe("(platform_system == 'Windows') or (sys_platform == 'win32')");
    expect(by.get('pygments')?.marker).toBeUndefined();
    expect(by.get('click')?.marker).toBeUndefined();
  });

  it('keeps both versions of a package locked twice for different markers', () => {
    const forked = `version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "numpy", version = "1.24.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.9'" },
    { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.9'" },
]

[[package]]
name = "numpy"
version = "1.24.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
`;
    const r = parseUvLock(forked, 'uv.lock');
    expect(r.dependencies.map((d) => [d.version, d.direct, d.marker, d.location.line])).toEqual([
      ['1.24.4', true, "python_full_version < '3.9'", 12],
      ['1.26.4', true, "python_full_version >= '3.9'", 17],
    ]);
  });

  it('takes the workspace members as the project; an editable path dependency outside it is listed, unresolvable', () => {
    const lock = readFileSync(resolve(import.meta.dirname, '../../fixtures/uv-path-dependency/uv.lock'), 'utf8');
    const r = parseUvLock(lock, 'uv.lock');
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.path.join('>'), d.unresolvable?.reason ?? null])).toEqual([
      ['locallib', undefined, true, 'main', 'locallib', 'editable'],
      ['idna', '3.7', false, 'main', 'locallib>idna', null],
      ['six', '1.16.0', true, 'main', 'six', null],
      ['pytest', '8.0.0', true, 'dev', 'pytest', null],
    ]);
    // Without the manifest, the package at `.` is the project.
    const single = lock.replace('[manifest]\nmembers = ["app", "core"]\n', '').replace('name = "app"\nversion = "0.1.0"\nsource = { virtual = "." }', 'name = "app"\nversion = "0.1.0"\nsource = { editable = "." }');
    const r2 = parseUvLock(single, 'uv.lock');
    expect(r2.dependencies.filter((d) => d.unresolvable).map((d) => d.name)).toEqual(['core', 'locallib']);
    expect(r2.dependencies.find((d) => d.name === 'six')).toMatchObject({ direct: false, path: ['core', 'six'] });
  });

  it("reads the groups of a workspace root without [project] from [manifest.dependency-groups]; dev wins over other groups", () => {
    const lock = readFileSync(resolve(import.meta.dirname, '../../fixtures/uv-workspace-groups/uv.lock'), 'utf8');
    const r = parseUvLock(lock, 'uv.lock');
    expect(r.warnings).toEqual([]);
    expect(r.dependencies.map((d) => [d.name, d.direct, d.group, d.path.join('>'), d.marker ?? null])).toEqual([
      ['colorama', false, 'dev', 'pytest>colorama', "sys_platform == 'win32'"],
      ['exceptiongroup', false, 'dev', 'pytest>exceptiongroup', "python_full_version < '3.11'"],
      ['iniconfig', false, 'dev', 'pytest>iniconfig', null],
      ['mkdocs-material', true, 'group:docs', 'mkdocs-material', "python_full_version >= '3.10'"],
      // pytest: root `dev` and `test`, and weather-core's `test`
      ['pytest', true, 'dev', 'pytest', null],
      ['python-json-logger', true, 'main', 'python-json-logger', null],
      ['ruff', true, 'dev', 'ruff', null],
      ['typing-extensions', false, 'main', 'python-json-logger>typing-extensions', "python_full_version < '3.10'"],
    ]);
  });

  it("reads a script's [manifest] requirements as main; a package nothing reaches is listed with direct unknown and a warning", () => {
    const lock = `version = 1
revision = 2
requires-python = ">=3.12"

[manifest]
requirements = [{ name = "rich", extras = ["jupyter"], specifier = ">=13" }]
constraints = [{ name = "pygments", specifier = "<3" }]

[[package]]
name = "rich"
version = "13.9.4"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "pygments" }]

[[package]]
name = "pygments"
version = "2.19.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "stray"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }
`;
    const r = parseUvLock(lock, 'uv.lock');
    expect(r.dependencies.map((d) => [d.name, d.direct, d.group, d.path.join('>'), d.extras])).toEqual([
      ['rich', true, 'main', 'rich', ['jupyter']],
      ['pygments', false, 'main', 'rich>pygments', []],
      ['stray', undefined, 'main', 'stray', []],
    ]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'PSR_LOCKFILE_SKIPPED', message: expect.stringContaining('1 locked package(s) are required by nothing psr reads in uv.lock: stray') })]);
  });

  it('reports malformed TOML with its line', () => {
    expect(() => parseUvLock('version = 1\n\n[[package]]\nname = "x\n', 'uv.lock')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', location: expect.objectContaining({ line: 4 }) }));
  });
});
