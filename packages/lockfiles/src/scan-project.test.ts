import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { discoverManifests } from './discovery.js';
import { scanProject } from './scan-project.js';

const fixtures = resolve(import.meta.dirname, '../fixtures');

function project(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'psr-scan-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const rel = (root: string, paths: string[]): string[] => paths.map((p) => relative(root, p)).sort();

describe('discoverManifests', () => {
  it('finds supported files, respects .gitignore, skips node_modules and virtualenvs, applies lockfile precedence', async () => {
    const root = project({
      '.gitignore': 'build/\n*.generated.txt\n',
      'requirements.txt': 'flask==3.0.0\n',
      'requirements/dev.txt': 'pytest==7.4.4\n',
      'requirements.generated.txt': 'ignored==1.0\n',
      'build/requirements.txt': 'ignored==1.0\n',
      'node_modules/x/package.json': '{}',
      '.venv/lib/requirements.txt': 'ignored==1.0\n',
      'env/pyvenv.cfg': 'home = /usr/bin\n',
      'env/lib/python3.11/site-packages/foo/requirements.txt': 'ignored==1.0\n',
      'vendor/lib/site-packages/bar/requirements.txt': 'ignored==1.0\n',
      'svc/pyproject.toml': '[project]\nname = "svc"\ndependencies = ["httpx"]\n',
      'svc/poetry.lock': '',
      'web/package.json': '{"dependencies":{"react":"^18.2.0"}}',
      'web/package-lock.json': '{"lockfileVersion":3,"packages":{}}',
      'web/packages/ui/package.json': '{"dependencies":{"lodash":"^4.17.21"}}',
      'tool/package.json': '{"dependencies":{"left-pad":"1.3.0"}}',
      'tool/.gitignore': 'pylock.toml\n',
      'tool/pylock.toml': '',
      'README.md': '# hi',
    });
    const d = await discoverManifests(root);
    expect(rel(root, d.files.map((f) => f.path))).toEqual(['requirements.txt', 'requirements/dev.txt', 'svc/poetry.lock', 'tool/package.json', 'web/package-lock.json']);
    expect(d.superseded.map((s) => [relative(root, s.path), relative(root, s.by)]).sort()).toEqual([
      ['svc/pyproject.toml', 'svc/poetry.lock'],
      ['web/package.json', 'web/package-lock.json'],
      ['web/packages/ui/package.json', 'web/package-lock.json'],
    ]);
    const all = await discoverManifests(root, { respectGitignore: false });
    expect(rel(root, all.files.map((f) => f.path))).toContain('build/requirements.txt');
    expect(rel(root, all.files.map((f) => f.path))).toContain('requirements.generated.txt');
  });

  it('survives symlink loops and refuses links that leave the root, listing each', async () => {
    const outside = project({ 'requirements.txt': 'secret==1.0\n' });
    const root = project({ 'app/requirements.txt': 'flask==3.0.0\n' });
    symlinkSync(root, join(root, 'app/loop'));
    symlinkSync(outside, join(root, 'elsewhere'));
    symlinkSync(join(outside, 'requirements.txt'), join(root, 'requirements-linked.txt'));
    symlinkSync(join(root, 'app/requirements.txt'), join(root, 'requirements.txt'));
    const d = await discoverManifests(root);
    // app/requirements.txt and the link to it are one file, listed once
    expect(d.files).toHaveLength(1);
    expect(d.warnings.map((w) => w.code).sort()).toEqual(['PSR_LOCKFILE_CYCLE', 'PSR_LOCKFILE_OUTSIDE_ROOT', 'PSR_LOCKFILE_OUTSIDE_ROOT']);
  });
});

describe('scanProject', () => {
  it('parses every format in a real-shaped tree and reads sibling manifests for direct deps', async () => {
    const root = mkdtempSync(join(tmpdir(), 'psr-scan-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    cpSync(fixtures, root, { recursive: true });
    const scan = await scanProject(root);
    const byFile = new Map(scan.results.map((r) => [relative(root, r.file), r]));
    expect([...byFile.keys()].sort()).toEqual([
      'npm-v1-alias-git/package-lock.json',
      'npm-v1/package-lock.json',
      'npm-v2/package-lock.json',
      'npm-v3-dev-optional/package-lock.json',
      'npm-v3/package-lock.json',
      'pdm/pdm.lock',
      'pipenv/Pipfile.lock',
      'pnpm-v11-env/pnpm-lock.yaml',
      'pnpm-v5-underscore-name/pnpm-lock.yaml',
      'pnpm-v5/pnpm-lock.yaml',
      'pnpm-v6-peer-variants/pnpm-lock.yaml',
      'pnpm-v6/pnpm-lock.yaml',
      'pnpm-v9/pnpm-lock.yaml',
      'poetry-extra-marker/poetry.lock',
      'poetry-v1/poetry.lock',
      'poetry-v2/poetry.lock',
      'pylock/pylock.toml',
      'pyproject/pyproject.toml',
      'requirements/pip-oracle/requirements.txt',
      'requirements/requirements-compiled.txt',
      'requirements/requirements.txt',
      'uv-path-dependency/uv.lock',
      'uv-workspace-groups/uv.lock',
      'uv/uv.lock',
      'yarn-berry-monorepo/yarn.lock',
      'yarn-berry-portal-member/yarn.lock',
      'yarn-berry-workspaces/yarn.lock',
      'yarn-berry/yarn.lock',
      'yarn-classic-workspaces/yarn.lock',
      'yarn-classic/yarn.lock',
    ]);
    expect(scan.results.every((r) => r.errors.length === 0)).toBe(true);
    // nested/base.txt is read through requirements.txt's -r
    expect(byFile.get('requirements/requirements.txt')?.dependencies.map((d) => d.name)).toContain('jinja2');
    expect(byFile.get('poetry-v2/poetry.lock')?.dependencies.find((d) => d.name === 'flask')?.direct).toBe(true);
    expect(byFile.get('yarn-classic/yarn.lock')?.dependencies.find((d) => d.name === 'chalk')?.direct).toBe(true);
    // members' package.json files are superseded by the lock at the root, and still read for groups
    expect(byFile.get('yarn-berry-monorepo/yarn.lock')?.dependencies.find((d) => d.name === 'left-pad')?.group).toBe('dev');
    expect(byFile.get('pipenv/Pipfile.lock')?.dependencies.find((d) => d.name === 'asgiref')?.direct).toBe(false);
    expect(scan.superseded.map((s) => relative(root, s.path)).sort()).toContain('pipenv/Pipfile');
  });

  it('lists a requirements file included by another only once, also in a -r cycle', async () => {
    const root = project({
      'requirements.txt': '-r requirements-base.txt\nflask==3.0.0\n',
      'requirements-base.txt': '-r requirements.txt\nsix==1.16.0\n',
      'requirements-dev.txt': '-r requirements.txt\npytest==7.4.4\n',
    });
    const scan = await scanProject(root);
    const names = scan.results.map((r) => [relative(root, r.file), r.dependencies.map((d) => d.name).sort().join(',')]);
    expect(names).toEqual([['requirements-dev.txt', 'flask,pytest,six']]);
    expect(scan.results[0]?.warnings.map((w) => w.code)).toEqual(['PSR_LOCKFILE_CYCLE']);
  });

  it('keeps going past a broken file, skips binary files with a warning, reports bad encodings', async () => {
    const root = project({
      'a/requirements.txt': 'flask==3.0.0\n',
      'b/poetry.lock': '[[package]]\nname = "x"\nversion = \n',
      'c/requirements.txt': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]),
      'd/package-lock.json': Buffer.concat([Buffer.from('{"lockfileVersion": 3, "name": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]),
      'e/Pipfile.lock': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"default": {"six": {"version": "==1.16.0"}}, "develop": {}}', 'utf16le')]),
    });
    const scan = await scanProject(root);
    const byDir = new Map(scan.results.map((r) => [relative(root, r.file).split('/')[0], r]));
    expect(byDir.get('a')?.dependencies).toHaveLength(1);
    expect(byDir.get('b')?.errors[0]).toMatchObject({ code: 'PSR_LOCKFILE_PARSE', location: { line: 3 } });
    expect(byDir.get('c')).toMatchObject({ errors: [], dependencies: [], warnings: [{ code: 'PSR_LOCKFILE_BINARY' }] });
    expect(byDir.get('d')?.errors[0]).toMatchObject({ code: 'PSR_LOCKFILE_ENCODING', location: { line: 1, col: 36 } });
    expect(byDir.get('e')?.dependencies.map((d) => `${d.name}==${d.version}`)).toEqual(['six==1.16.0']);
  });

  it('narrows by markers only when a target is given, and says what it left out', async () => {
    const root = project({ 'requirements.txt': 'pywin32==306 ; sys_platform == "win32"\ntomli==2.0.1 ; python_version < "3.11"\nflask==3.0.0\npytest==7.4.4 ; platform_machine == "x86_64"\n' });
    const all = await scanProject(root);
    expect(all.results[0]?.dependencies.map((d) => d.name)).toEqual(['pywin32', 'tomli', 'flask', 'pytest']);
    const linux312 = await scanProject(root, { target: { pythonVersion: '3.12', platform: 'linux' } });
    expect(linux312.results[0]?.dependencies.map((d) => d.name)).toEqual(['flask', 'pytest']);
    expect(linux312.results[0]?.warnings.at(-1)?.message).toMatch(/2 dependencies left out.*pywin32.*tomli/);
  });

  it('reports a missing root and an unsupported single file', async () => {
    const root = project({ 'Gemfile.lock': 'GEM\n' });
    await expect(scanProject(join(root, 'nope'))).rejects.toMatchObject({ code: 'PSR_LOCKFILE_READ' });
    const scan = await scanProject(join(root, 'Gemfile.lock'));
    expect(scan.results).toEqual([]);
    expect(scan.warnings.map((w) => w.code)).toEqual(['PSR_LOCKFILE_UNSUPPORTED']);
  });

  it('reads a .txt or .in file named alone as requirements, whatever its name', async () => {
    const root = project({ 'deps/prod.txt': 'six==1.16.0\n', 'requirements.in': 'flask==3.0.0\n', 'notes.md': 'six==1.16.0\n' });
    for (const [file, name] of [['deps/prod.txt', 'six'], ['requirements.in', 'flask']] as const) {
      const scan = await scanProject(join(root, file));
      expect(scan.results.map((r) => [r.format, r.dependencies.map((d) => d.name)])).toEqual([['requirements.txt', [name]]]);
    }
    expect((await scanProject(join(root, 'notes.md'))).warnings.map((w) => w.code)).toEqual(['PSR_LOCKFILE_UNSUPPORTED']);
    // A folder walk keeps to requirements file names.
    expect((await scanProject(root)).results).toEqual([]);
  });

  it('a single file inside the current folder may include files elsewhere in that folder', async () => {
    const root = project({ 'requirements/base.txt': 'six==1.16.0\n', 'services/api/requirements.txt': '-r ../../requirements/base.txt\nflask==3.0.0\n' });
    const before = process.cwd();
    process.chdir(root);
    onTestFinished(() => process.chdir(before));
    const scan = await scanProject('services/api/requirements.txt');
    expect(scan.results[0]?.dependencies.map((d) => d.name)).toEqual(['six', 'flask']);
    expect(scan.results[0]?.warnings).toEqual([]);
  });

  it('scans a single file path', async () => {
    const root = project({ 'reqs/requirements-prod.txt': 'django==4.2.7\n-r ../../outside.txt\n' });
    const scan = await scanProject(join(root, 'reqs/requirements-prod.txt'));
    expect(scan.results).toHaveLength(1);
    expect(scan.results[0]?.dependencies[0]).toMatchObject({ name: 'django', version: '4.2.7' });
    // The include leaves the file's folder (no repository, not under the current folder): not
    // read, and the scan of the file is incomplete.
    expect(scan.results[0]?.errors.map((e) => [e.code, e.location?.line])).toEqual([['PSR_LOCKFILE_OUTSIDE_ROOT', 2]]);
  });

  it('lets includes reach anywhere in the git repository that holds the scanned file or folder', async () => {
    const root = project({ '.git/HEAD': 'ref: refs/heads/main\n', 'requirements/base.txt': 'six==1.16.0\n', 'services/api/requirements.txt': '-r ../../requirements/base.txt\nflask==3.0.0\n' });
    for (const target of [join(root, 'services/api/requirements.txt'), join(root, 'services/api')]) {
      const scan = await scanProject(target);
      expect(scan.results.map((r) => [r.dependencies.map((d) => d.name), r.errors])).toEqual([[['six', 'flask'], []]]);
    }
  });
});
