import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { detectFormat } from './formats.js';
import { parseLockfile, parseLockfileText } from './parse-lockfile.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'psr-parse-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('detectFormat', () => {
  it('knows every supported file name and nothing else', () => {
    expect(detectFormat('a/requirements-dev.txt')).toBe('requirements.txt');
    expect(detectFormat('requirements/prod.txt')).toBe('requirements.txt');
    expect(detectFormat('dev-requirements.txt')).toBe('requirements.txt');
    expect(detectFormat('test_requirements.txt')).toBe('requirements.txt');
    expect(detectFormat('requirements.prod.txt')).toBe('requirements.txt');
    expect(detectFormat('myrequirements.txt')).toBeUndefined();
    expect(detectFormat('requirements/constraints.txt')).toBeUndefined();
    expect(detectFormat('pylock.toml')).toBe('pylock.toml');
    expect(detectFormat('pylock.docs.toml')).toBe('pylock.toml');
    expect(detectFormat('npm-shrinkwrap.json')).toBe('package-lock.json');
    expect(detectFormat('Pipfile')).toBe('Pipfile');
    expect(detectFormat('notes.txt')).toBeUndefined();
    expect(detectFormat('Cargo.lock')).toBeUndefined();
  });
});

describe('parseLockfileText', () => {
  it('detects the format from the file name and strips a BOM', async () => {
    const r = await parseLockfileText('\uFEFFDjango==4.2.7\n', { file: 'requirements.txt' });
    expect(r).toMatchObject({ format: 'requirements.txt', dependencies: [{ name: 'django', version: '4.2.7', location: { line: 1, col: 1 } }] });
  });

  it('uses the manifest text to tell direct deps, and warns when the manifest is broken', async () => {
    const lock = '{"default": {"six": {"version": "==1.16.0"}, "requests": {"version": "==2.31.0"}}, "develop": {}}';
    const ok = await parseLockfileText(lock, { file: 'Pipfile.lock', manifest: '[packages]\nrequests = "*"\n' });
    expect(ok.dependencies.map((d) => [d.name, d.direct])).toEqual([['six', false], ['requests', true]]);
    const broken = await parseLockfileText(lock, { file: 'Pipfile.lock', manifest: '[packages\n' });
    expect(broken.dependencies.map((d) => d.direct)).toEqual([undefined, undefined]);
    expect(broken.warnings[0]).toMatchObject({ code: 'PSR_LOCKFILE_SKIPPED' });
  });

  it('turns hostile shapes into typed errors: deep nesting', async () => {
    const deepJson = `{"lockfileVersion": 1, "dependencies": ${'{"a": '.repeat(200_000)}1${'}'.repeat(200_000)}}`;
    await expect(parseLockfileText(deepJson, { file: 'package-lock.json' })).rejects.toMatchObject({ code: 'PSR_LOCKFILE_PARSE', location: { file: 'package-lock.json' } });
    // Valid JSON whose dependency tree is deeper than a walk of it can go: said so, not "Maximum call stack size exceeded".
    const deepTree = `{"lockfileVersion": 1, "dependencies": {"root": ${'{"version": "1.0.0", "dependencies": {"p": '.repeat(20_000)}{"version": "1.0.0"}${'}}'.repeat(20_000)}}}`;
    await expect(parseLockfileText(deepTree, { file: 'package-lock.json' })).rejects.toMatchObject({
      code: 'PSR_LOCKFILE_PARSE',
      message: 'package-lock.json could not be read as package-lock.json: it is nested too deeply to read',
    });
    const deepYaml = `lockfileVersion: '9.0'\npackages: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    await expect(parseLockfileText(deepYaml, { file: 'pnpm-lock.yaml' })).rejects.toMatchObject({
      code: 'PSR_LOCKFILE_PARSE',
      message: 'invalid YAML in pnpm-lock.yaml: it is nested too deeply to read',
      location: { file: 'pnpm-lock.yaml' },
    });
    const deepToml = `a = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    await expect(parseLockfileText(deepToml, { file: 'uv.lock' })).rejects.toMatchObject({ code: 'PSR_LOCKFILE_PARSE' });
  });

  it('an empty lockfile is an error (cut short), an empty requirements file or package.json manifest is not', async () => {
    for (const file of ['uv.lock', 'poetry.lock', 'pdm.lock', 'yarn.lock', 'package-lock.json', 'pnpm-lock.yaml', 'Pipfile.lock', 'pylock.toml']) {
      await expect(parseLockfileText(' \n', { file })).rejects.toMatchObject({ code: 'PSR_LOCKFILE_PARSE', message: `${file} is empty: its tool always writes a header` });
    }
    expect((await parseLockfileText('', { file: 'requirements.txt' })).dependencies).toEqual([]);
  });

  it('reads a YAML alias bomb without expanding it (9^6 values by reference, not copies)', async () => {
    const bomb = [
      "lockfileVersion: '9.0'",
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'packages:',
      '  pkg@1.0.0:',
      '    resolution: *f',
      'snapshots:',
      '  pkg@1.0.0:',
      '    dependencies: *f',
    ].join('\n');
    const r = await parseLockfileText(bomb, { file: 'pnpm-lock.yaml' });
    expect(r.dependencies).toMatchObject([{ name: 'pkg', version: '1.0.0', location: { line: 9 } }]);
  });

  it('skips an entry without a name, or with a table where text belongs, with a warning at its line; the rest of the file is read', async () => {
    // Shapes a truncated or hand-edited lockfile has; each had failed the whole file with an internal message.
    const cases: Array<[file: string, text: string, line: number, kept: string]> = [
      ['requirements.txt', 'flask==3.0.0\n-e \n', 2, 'flask'],
      ['poetry.lock', '[[package]]\nname = "flask"\nversion = "3.0.0"\n\n[[package]]\nname = ""\nversion = "1.0"\n', 5, 'flask'],
      ['pylock.toml', 'lock-version = "1.0"\n\n[[packages]]\nname = "flask"\nversion = "3.0.0"\n\n[[packages]]\nname = ""\nversion = "1.0"\n', 8, 'flask'],
      ['package-lock.json', '{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "ms": { "version": "2.1.3" },\n    "": { "version": "1.0.0" }\n  }\n}\n', 5, 'ms'],
      ['package.json', '{\n  "dependencies": {\n    "ms": "2.1.3",\n    "": "1.0.0"\n  }\n}\n', 4, 'ms'],
      ['yarn.lock', '__metadata:\n  version: 8\n\n"ms@npm:^2.1.3":\n  version: 2.1.3\n  resolution: "ms@npm:2.1.3"\n\n"x@npm:^1.0.0":\n  version: 1.0.0\n  resolution: ""\n', 8, 'ms'],
    ];
    for (const [file, text, line, kept] of cases) {
      const r = await parseLockfileText(text, { file });
      expect(r.dependencies.map((d) => d.name), file).toEqual([kept]);
      expect(r.warnings.map((w) => [w.code, w.location?.line]), file).toContainEqual(['PSR_LOCKFILE_SKIPPED', line]);
    }
    const uv = await parseLockfileText('version = 1\n\n[[package]]\nname = "flask"\nversion = { git = "https://github.com/pallets/flask" }\nsource = { registry = "https://pypi.org/simple" }\n', { file: 'uv.lock' });
    expect(uv.dependencies.map((d) => [d.name, d.version])).toEqual([['flask', undefined]]);
    const pdm = await parseLockfileText('[metadata]\ngroups = ["default"]\nlock_version = "4.4"\n\n[[package]]\nname = "flask"\nversion = "3.0.0"\ngroups = [{}]\n', { file: 'pdm.lock' });
    expect(pdm.dependencies.map((d) => [d.name, d.version, d.group])).toEqual([['flask', '3.0.0', 'main']]);
  });

  it('refuses an unknown file name with a hint listing the supported ones', async () => {
    await expect(parseLockfileText('x', { file: 'Gemfile.lock' })).rejects.toMatchObject({ code: 'PSR_LOCKFILE_UNSUPPORTED', hint: expect.stringContaining('poetry.lock') });
  });
});

describe('parseLockfile', () => {
  it('reads the sibling manifest of a lockfile from disk', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"dependencies": {"lodash": "^4.17.21"}}');
    writeFileSync(join(dir, 'yarn.lock'), '# yarn lockfile v1\n\nlodash@^4.17.21:\n  version "4.17.21"\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz"\n');
    const r = await parseLockfile(join(dir, 'yarn.lock'));
    expect(r.dependencies).toMatchObject([{ name: 'lodash', version: '4.17.21', direct: true, location: { file: join(dir, 'yarn.lock'), line: 3 } }]);
    const alone = await parseLockfile(join(dir, 'yarn.lock'), { readManifest: false });
    expect(alone.dependencies[0]?.direct).toBeUndefined();
    writeFileSync(join(dir, 'package.json'), Buffer.from([0x7b, 0x00, 0x00, 0x7d]));
    const binaryManifest = await parseLockfile(join(dir, 'yarn.lock'));
    expect(binaryManifest.dependencies[0]?.direct).toBeUndefined();
    expect(binaryManifest.warnings[0]?.message).toMatch(/package\.json beside .* could not be read/);
  });

  it("reads yarn workspace members' package.json: berry's from the lock's workspace: entries, classic's from the workspaces patterns", async () => {
    for (const project of ['yarn-berry-monorepo', 'yarn-classic-workspaces']) {
      const r = await parseLockfile(join(import.meta.dirname, '../fixtures', project, 'yarn.lock'));
      expect(r.warnings).toEqual([]);
      expect(r.dependencies.map((d) => `${d.name}@${d.version} ${d.group}`)).toEqual(['debug@4.3.4 dev', 'left-pad@1.3.0 dev', 'lodash@4.17.21 main', 'ms@2.1.2 dev', 'ms@2.1.3 main', 'typescript@5.4.5 dev']);
    }
    // A member with a portal: dependency bound to it in the lock, and devDependencies.
    const portal = await parseLockfile(join(import.meta.dirname, '../fixtures/yarn-berry-portal-member/yarn.lock'));
    expect(portal.warnings).toEqual([]);
    expect(portal.dependencies.map((d) => `${d.name}@${d.version ?? d.unresolvable?.spec.split('::')[0]} ${d.group}`)).toEqual([
      'debug@4.3.4 main', 'left-pad@1.3.0 dev', 'lodash@4.17.21 main', 'ms@2.1.2 main', 'ms@2.1.3 main', 'resolve@1.22.8 dev',
      'test-kit@link:../../tools/test-kit dev', 'theme@portal:../theme dev', 'theme@portal:../theme main', 'typescript@5.4.5 dev',
    ]);
  });

  it('a yarn workspace whose package.json is missing, malformed or outside the project is a warning, its dependencies main', async () => {
    const root = tempDir();
    const dir = join(root, 'repo');
    const entry = (name: string, folder: string): string => `"${name}@workspace:${folder}":\n  version: 0.0.0-use.local\n  resolution: "${name}@workspace:${folder}"\n  dependencies:\n    ms: "npm:^2.1.3"\n  languageName: unknown\n  linkType: soft\n\n`;
    mkdirSync(join(dir, 'packages', 'bad'), { recursive: true });
    writeFileSync(join(dir, 'packages', 'bad', 'package.json'), '{\n  "devDependencies": {\n    "ms": "^2.1.3",\n  }\n');
    // Outside the project: read, these would make ms a dev dependency.
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(join(root, 'elsewhere', 'package.json'), '{"devDependencies": {"ms": "^2.1.3"}}');
    symlinkSync(join(root, 'elsewhere'), join(dir, 'packages', 'linked'));
    writeFileSync(join(dir, 'yarn.lock'), `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n${entry('bad', 'packages/bad')}${entry('gone', 'packages/gone')}${entry('linked', 'packages/linked')}${entry('out', '../elsewhere')}"ms@npm:^2.1.3":\n  version: 2.1.3\n  resolution: "ms@npm:2.1.3"\n  checksum: 10c0/d924b57e7312b3b63ad21fc5b3dc0af5e78d61a1fc7cfb5457edaf26326bf62be5307cc87ffb6862ef1c2b33b0233cdb5d4f01c4c958cc0d660948b65a287a48\n  languageName: node\n  linkType: hard\n`);
    const r = await parseLockfile(join(dir, 'yarn.lock'));
    expect(r.dependencies.map((d) => [d.name, d.direct, d.group])).toEqual([['ms', true, 'main']]);
    expect(r.warnings.map((w) => [w.code, w.location?.file.replace(root, '<root>'), w.location?.line, w.location?.col])).toEqual([
      ['PSR_LOCKFILE_SKIPPED', '<root>/repo/yarn.lock', 1, 1],
      ['PSR_LOCKFILE_OUTSIDE_ROOT', '<root>/repo/packages/linked/package.json', 1, 1],
      ['PSR_LOCKFILE_OUTSIDE_ROOT', '<root>/repo/yarn.lock', 1, 1],
      // the trailing comma after "^2.1.3"
      ['PSR_LOCKFILE_SKIPPED', '<root>/repo/packages/bad/package.json', 4, 3],
    ]);
    expect(r.warnings.map((w) => w.message.replaceAll(root, '<root>'))).toEqual([
      expect.stringContaining('names workspace packages/gone, but <root>/repo/packages/gone/package.json cannot be read (ENOENT); the dev dependencies of workspace packages/gone are listed as main'),
      expect.stringContaining('<root>/repo/packages/linked/package.json is a symlink leading outside'),
      expect.stringContaining('names workspace ../elsewhere, outside the lockfile'),
      expect.stringContaining('<root>/repo/packages/bad/package.json could not be read'),
    ]);
  });

  it('gives typed errors for missing files, folders, binary content and bad UTF-8', async () => {
    const dir = tempDir();
    await expect(parseLockfile(join(dir, 'poetry.lock'))).rejects.toMatchObject({ code: 'PSR_LOCKFILE_READ' });
    await expect(parseLockfile(join(dir, 'requirements.txt'))).rejects.toMatchObject({ code: 'PSR_LOCKFILE_READ' });
    mkdirSync(join(dir, 'uv.lock'));
    await expect(parseLockfile(join(dir, 'uv.lock'))).rejects.toMatchObject({ code: 'PSR_LOCKFILE_READ' });
    writeFileSync(join(dir, 'pnpm-lock.yaml'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00]));
    await expect(parseLockfile(join(dir, 'pnpm-lock.yaml'))).rejects.toMatchObject({ code: 'PSR_LOCKFILE_BINARY' });
    writeFileSync(join(dir, 'pdm.lock'), Buffer.concat([Buffer.from('[metadata]\n\n[[package]]\nname = "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]));
    await expect(parseLockfile(join(dir, 'pdm.lock'))).rejects.toMatchObject({ code: 'PSR_LOCKFILE_ENCODING', location: { line: 4, col: 12 } });
  });

  it('reads a UTF-16 (BOM) TOML lock', async () => {
    const dir = tempDir();
    const text = '[[package]]\nname = "six"\nversion = "1.16.0"\n';
    writeFileSync(join(dir, 'poetry.lock'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    const r = await parseLockfile(join(dir, 'poetry.lock'));
    expect(r.dependencies.map((d) => `${d.name}@${d.version}:${d.location.line}`)).toEqual(['six@1.16.0:2']);
  });
});
