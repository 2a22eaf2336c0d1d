import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePdmLock } from './pdm-lock.js';
import { parsePyprojectToml } from './pyproject-toml.js';

const dir = resolve(import.meta.dirname, '../../fixtures/pdm');
const lock = readFileSync(resolve(dir, 'pdm.lock'), 'utf8');
const pyproject = readFileSync(resolve(dir, 'pyproject.toml'), 'utf8');

describe('pdm.lock', () => {
  it('reads groups, markers, and with pyproject the direct deps and paths (extras entries folded)', () => {
    const r = parsePdmLock(lock, 'pdm.lock', parsePyprojectToml(pyproject, 'pyproject.toml'));
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(r.dependencies.filter((d) => d.name === 'requests')).toHaveLength(1);
    expect(by.get('requests')).toMatchObject({ version: '2.31.0', direct: true, group: 'main', location: { line: 51 } });
    expect(by.get('pysocks')).toMatchObject({ direct: false, path: ['requests', 'pysocks'] });
    expect(by.get('mdurl')).toMatchObject({ path: ['rich', 'markdown-it-py', 'mdurl'] });
    expect(by.get('pytest')).toMatchObject({ direct: true, group: 'group:test' });
    expect(by.get('colorama')).toMatchObject({ group: 'group:test', marker: 'sys_platform == "win32"' });
    expect(by.get('certifi')?.hashes).toEqual(['sha256:e036ab49d5b79556f99cfc2d9320b34cfbe5be05c5871b51de9329f0603b0474']);
  });

  it('without a manifest, direct is unknown', () => {
    const r = parsePdmLock(lock, 'pdm.lock');
    expect(new Set(r.dependencies.map((d) => d.direct))).toEqual(new Set([undefined]));
  });

  it('lists git and editable packages as unresolvable', () => {
    const r = parsePdmLock('[[package]]\nname = "tool"\nversion = "0.1.0"\ngit = "https://github.com/acme/tool.git"\nrevision = "abc123"\ngroups = ["default"]\n\n[[package]]\nname = "local"\nversion = "0.0.1"\npath = "./local"\neditable = true\ngroups = ["default"]\n', 'pdm.lock');
    expect(r.dependencies.map((d) => [d.name, d.pinned, d.unresolvable])).toEqual([
      ['tool', false, { reason: 'vcs', spec: 'git+https://github.com/acme/tool.git@abc123' }],
      ['local', false, { reason: 'editable', spec: './local' }],
    ]);
  });
});
