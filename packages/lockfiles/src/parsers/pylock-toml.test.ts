import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePylockToml } from './pylock-toml.js';

const text = readFileSync(resolve(import.meta.dirname, '../../fixtures/pylock/pylock.toml'), 'utf8');

describe('pylock.toml (PEP 751)', () => {
  it('reads packages with versions, hashes, group markers, vcs and directory sources', () => {
    const r = parsePylockToml(text, 'pylock.toml');
    expect(r.dependencies.map((d) => [d.name, d.version, d.pinned, d.group, d.location.line])).toEqual([
      ['attrs', '25.1.0', true, 'main', 10],
      ['cattrs', '24.1.2', true, 'main', 17],
      ['pytest', '8.3.4', true, 'dev', 23],
      ['toolbox', undefined, false, 'main', 30],
      ['local-plugin', undefined, false, 'main', 34],
    ]);
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(by.get('attrs')?.hashes).toEqual(['sha256:1c97078a80c814273a76b2a298a932eb681c87415c11dee0a6921de7f1b02c3e', 'sha256:c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a']);
    expect(by.get('toolbox')?.unresolvable).toEqual({ reason: 'vcs', spec: 'git+https://github.com/acme/toolbox.git@1f2e3d4c5b6a79880706f5e4d3c2b1a098765432' });
    expect(by.get('local-plugin')?.unresolvable).toEqual({ reason: 'editable', spec: 'plugins/local' });
  });

  it('refuses a file without lock-version', () => {
    expect(() => parsePylockToml('[[packages]]\nname = "x"\n', 'pylock.toml')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE' }));
  });
});
