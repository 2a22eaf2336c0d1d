import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { normalizePypiName } from '../pypi-name.js';
import { parseRequirementsFile, parseRequirementsText } from './requirements-txt.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/requirements');

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'psr-req-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('requirements.txt', () => {
  it('reads a bare name==version line exactly as the same pin written with spaces', async () => {
    const pins = ['Zope.Interface==6.1', 'torch==2.1.0+cpu', 'a==1', 'x_y-z==1!2.0.post1', 'pkg==1.0.*', 'pkg==1.0,<2', 'pkg==1.0;python_version>"3"', 'pkg===1.0', 'pkg-==1.0'];
    const bare = await parseRequirementsText(`${pins.join('\n')}\n`, 'requirements.txt');
    const spaced = await parseRequirementsText(`${pins.map((p) => p.replace('==', ' == ')).join('\n')}\n`, 'requirements.txt');
    const strip = (d: (typeof bare.dependencies)[number]) => ({ ...d, specifier: d.specifier?.replace(/\s/g, ''), location: { ...d.location, col: 1 } });
    expect(bare.dependencies.map(strip)).toEqual(spaced.dependencies.map(strip));
    expect(bare.dependencies.map((d) => [d.name, d.version])).toEqual([
      ['zope-interface', '6.1'], ['torch', '2.1.0+cpu'], ['a', '1'], ['x-y-z', '1!2.0.post1'], ['pkg', undefined], ['pkg', '1.0'], ['pkg', '1.0'], ['pkg', '1.0'],
    ]);
    expect(bare.warnings.map((w) => w.message)).toEqual(spaced.warnings.map((w) => w.message.replaceAll(' == ', '==')));
  });

  it('reads pins, extras, markers, hashes, continuations and includes with their lines', async () => {
    const file = join(fixtures, 'requirements.txt');
    const r = await parseRequirementsFile(file);
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(r.dependencies.map((d) => d.name)).toEqual([
      'jinja2', 'markupsafe', 'django', 'requests', 'pillow', 'urllib3', 'numpy', 'zope-interface', 'pyyaml',
      'click', 'uvicorn', 'black', 'mylib', 'gunicorn', 'celery',
    ]);
    // include is read relative to the including file, its lines point into it
    expect(by.get('jinja2')).toMatchObject({ version: '3.1.2', pinned: true, location: { file: join(fixtures, 'nested/base.txt'), line: 1 } });
    expect(by.get('django')).toMatchObject({ version: '4.2.7', pinned: true, direct: true, location: { file, line: 7, col: 1 }, purl: 'pkg:pypi/django@4.2.7' });
    expect(by.get('requests')).toMatchObject({ version: '2.31.0', extras: ['socks', 'security'], marker: 'python_version >= "3.8"', location: { line: 8 } });
    expect(by.get('pillow')).toMatchObject({ version: '10.0.1', pinned: true });
    expect(by.get('urllib3')).toMatchObject({ version: undefined, pinned: false, specifier: '>=1.26,<3' });
    expect(by.get('numpy')).toMatchObject({ version: undefined, pinned: false, specifier: '==1.26.*' });
    // a continued line is reported at its first physical line, hashes collected
    expect(by.get('zope-interface')).toMatchObject({ version: '6.1', location: { line: 12 } });
    expect(by.get('zope-interface')?.hashes).toHaveLength(2);
    expect(by.get('pyyaml')).toMatchObject({ version: '6.0.1', marker: 'sys_platform == "linux"', location: { line: 15 } });
    expect(by.get('click')).toMatchObject({ pinned: false, version: undefined, unresolvable: { reason: 'editable' }, location: { line: 16 } });
    expect(by.get('uvicorn')).toMatchObject({ pinned: false, extras: ['standard'], unresolvable: { reason: 'url' } });
    expect(by.get('black')).toMatchObject({ pinned: false, unresolvable: { reason: 'vcs', spec: 'git+https://github.com/psf/black.git@23.11.0#egg=black' } });
    expect(by.get('mylib')).toMatchObject({ pinned: false, unresolvable: { reason: 'path', spec: './vendor/mylib' } });
    expect(by.get('gunicorn')).toMatchObject({ pinned: false, version: undefined });
    // an env var is left as written, never guessed: not a pin we can match
    expect(by.get('celery')?.specifier).toBe('==${CELERY_VERSION}');
    // constraints are not installed
    expect(by.has('sqlparse')).toBe(false);
    expect(r.includes).toEqual([join(fixtures, 'nested/base.txt')]);
  });

  it('uses pip-compile "# via" annotations for direct/transitive and the dependency path', async () => {
    const r = await parseRequirementsFile(join(fixtures, 'requirements-compiled.txt'));
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(by.get('flask')).toMatchObject({ direct: true, path: ['flask'], location: { line: 14 } });
    expect(by.get('werkzeug')).toMatchObject({ direct: false, path: ['flask', 'werkzeug'] });
    expect(by.get('markupsafe')).toMatchObject({ direct: false, path: ['flask', 'jinja2', 'markupsafe'] });
  });

  it('reports a cyclic -r chain once and keeps both files', async () => {
    const r = await parseRequirementsFile(join(fixtures, 'cycle/a.txt'));
    expect(r.dependencies.map((d) => d.name).sort()).toEqual(['attrs', 'six']);
    const cycles = r.warnings.filter((w) => w.code === 'PSR_LOCKFILE_CYCLE');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.location).toMatchObject({ line: 1 });
  });

  it('follows a quoted include path with spaces', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'base reqs.txt'), 'six==1.16.0\n');
    writeFileSync(join(dir, 'requirements.txt'), '-r "base reqs.txt"\n');
    const r = await parseRequirementsFile(join(dir, 'requirements.txt'));
    expect(r.dependencies.map((d) => d.name)).toEqual(['six']);
  });

  it('follows includes written every way pip takes them: -r path, -rpath, --requirement=path', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub/deeper'), { recursive: true });
    writeFileSync(join(dir, 'sub/a.txt'), 'six==1.16.0\n');
    writeFileSync(join(dir, 'sub/deeper/b.txt'), 'idna==3.6\n');
    writeFileSync(join(dir, 'c.txt'), 'attrs==23.1.0\n');
    writeFileSync(join(dir, 'requirements.txt'), '-r sub/a.txt\n-rsub/deeper/b.txt\n--requirement=c.txt\n');
    const r = await parseRequirementsFile(join(dir, 'requirements.txt'));
    expect(r.dependencies.map((d) => d.name)).toEqual(['six', 'idna', 'attrs']);
    expect(r.warnings).toEqual([]);
  });

  it('refuses an include outside the scanned root', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'proj'));
    writeFileSync(join(dir, 'secret.txt'), 'leaked==1.0\n');
    writeFileSync(join(dir, 'proj/requirements.txt'), '-r ../secret.txt\n-r ../../../../../../etc/passwd\nflask==3.0.0\n');
    const r = await parseRequirementsFile(join(dir, 'proj/requirements.txt'));
    expect(r.dependencies.map((d) => d.name)).toEqual(['flask']);
    // Errors, not warnings: what the includes list is not scanned.
    expect(r.errors.map((e) => [e.code, e.location?.line])).toEqual([
      ['PSR_LOCKFILE_OUTSIDE_ROOT', 1],
      ['PSR_LOCKFILE_OUTSIDE_ROOT', 2],
    ]);
    expect(r.errors[0]?.message).toContain('its requirements are not scanned');
  });

  it('refuses a symlinked include that escapes the root and reports a missing include', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'proj'));
    writeFileSync(join(dir, 'outside.txt'), 'leaked==1.0\n');
    symlinkSync(join(dir, 'outside.txt'), join(dir, 'proj/base.txt'));
    writeFileSync(join(dir, 'proj/requirements.txt'), '-r base.txt\n-r missing.txt\n');
    const r = await parseRequirementsFile(join(dir, 'proj/requirements.txt'));
    expect(r.dependencies).toEqual([]);
    expect(r.errors.map((e) => [e.code, e.message])).toEqual([
      ['PSR_LOCKFILE_OUTSIDE_ROOT', expect.stringMatching(/^include base\.txt resolves outside /)],
      ['PSR_LOCKFILE_INCLUDE', 'included file missing.txt not found: its requirements are not scanned'],
    ]);
  });

  it('an include it cannot read (remote, a folder, binary) is an error: pip would not install the file either', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'base'));
    writeFileSync(join(dir, 'blob.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]));
    writeFileSync(join(dir, 'requirements.txt'), '-r https://example.com/base.txt\n-r base\n-r blob.txt\nflask==3.0.0\n');
    const r = await parseRequirementsFile(join(dir, 'requirements.txt'));
    expect(r.dependencies.map((d) => d.name)).toEqual(['flask']);
    expect(r.errors.map((e) => [e.code, e.location?.line, e.message])).toEqual([
      ['PSR_LOCKFILE_INCLUDE', 1, 'remote include https://example.com/base.txt not fetched (offline scan): its requirements are not scanned'],
      ['PSR_LOCKFILE_INCLUDE', 2, 'included file base is not a text requirements file: nothing in it is scanned'],
      ['PSR_LOCKFILE_INCLUDE', 3, 'included file blob.txt is not a text requirements file: nothing in it is scanned'],
    ]);
  });

  it('parses text without following includes and warns about lines it cannot read', async () => {
    const r = await parseRequirementsText('-r other.txt\nflask ==3.0.0\n--bogus-option\nnot a requirement!!\n', 'req.txt');
    expect(r.dependencies.map((d) => [d.name, d.version])).toEqual([['flask', '3.0.0']]);
    expect(r.warnings.map((w) => [w.code, w.location?.line])).toEqual([
      ['PSR_LOCKFILE_SKIPPED', 1],
      ['PSR_LOCKFILE_SKIPPED', 3],
      ['PSR_LOCKFILE_SKIPPED', 4],
    ]);
  });

  it('skips, with the reason, requirement lines pip refuses for their version specifier', async () => {
    const lines = ['bar=>2', 'baz = = 1.0', 'django==1.0 extra', 'qux==', 'pkg>=1,', 'ok >= 1.0 , < 2', 'spaced == 3.0', 'paren (==1.0)', 'wild==1.*'];
    const r = await parseRequirementsText(`${lines.join('\n')}\n`, 'requirements.txt');
    expect(r.dependencies.map((d) => [d.name, d.version, d.specifier])).toEqual([
      ['ok', undefined, '>=1.0,<2'], ['spaced', '3.0', '==3.0'], ['paren', '1.0', '==1.0'], ['wild', undefined, '==1.*'],
    ]);
    expect(r.warnings.map((w) => [w.code, w.location?.line, w.message])).toEqual([
      ['PSR_LOCKFILE_SKIPPED', 1, 'bar=>2: version specifier "=>2" is not an operator (==, !=, <, <=, >, >=, ~= or ===) and one version; line skipped'],
      ['PSR_LOCKFILE_SKIPPED', 2, expect.stringContaining('version specifier "= = 1.0"')],
      ['PSR_LOCKFILE_SKIPPED', 3, expect.stringContaining('version specifier "==1.0 extra"')],
      ['PSR_LOCKFILE_SKIPPED', 4, expect.stringContaining('version specifier "=="')],
      ['PSR_LOCKFILE_SKIPPED', 5, expect.stringContaining('version specifier ">=1,"')],
    ]);
  });

  it('keeps a pin whose marker is malformed and says so at its line', async () => {
    const r = await parseRequirementsText('django==1.0 ; python_version < "3.10\nflask==2.0 ; python_version < "3.10"\nsix==1.0; os_nam == "nt"\n', 'requirements.txt');
    expect(r.dependencies.map((d) => [d.name, d.version])).toEqual([['django', '1.0'], ['flask', '2.0'], ['six', '1.0']]);
    expect(r.warnings.map((w) => [w.code, w.location?.line, w.message])).toEqual([
      ['PSR_LOCKFILE_MARKER', 1, 'invalid environment marker "python_version < "3.10": unterminated string at column 18; django is scanned as if it applied'],
      ['PSR_LOCKFILE_MARKER', 3, expect.stringContaining('unknown marker variable "os_nam"')],
    ]);
  });

  it('handles a UTF-16 file with BOM and reports invalid UTF-8 with its line', async () => {
    const dir = tempDir();
    const utf16 = join(dir, 'requirements.txt');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Django==4.2.7\r\nsix==1.16.0\r\n', 'utf16le')]));
    const r = await parseRequirementsFile(utf16);
    expect(r.dependencies.map((d) => `${d.name}@${d.version}:${d.location.line}`)).toEqual(['django@4.2.7:1', 'six@1.16.0:2']);

    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.concat([Buffer.from('six==1.16.0\nfoo==1.0 # caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    await expect(parseRequirementsFile(bad)).rejects.toMatchObject({ code: 'PSR_LOCKFILE_ENCODING', location: { line: 2, col: 15 } });

    // A bad byte in a line that spans reads (1 MB each) is placed by its column in the whole line.
    const long = join(dir, 'long.txt');
    writeFileSync(long, Buffer.concat([Buffer.from(`six==1.16.0\r\n# ${'a'.repeat(1_572_862)}`), Buffer.from([0xff]), Buffer.from('\r\nflask==3.0.0\r\n')]));
    await expect(parseRequirementsFile(long)).rejects.toMatchObject({ code: 'PSR_LOCKFILE_ENCODING', location: { line: 2, col: 1_572_865 } });

    const bin = join(dir, 'bin.txt');
    writeFileSync(bin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2, 3]));
    await expect(parseRequirementsFile(bin)).rejects.toMatchObject({ code: 'PSR_LOCKFILE_BINARY' });
  });

  it('streams a 50 MB requirements file', async () => {
    const dir = tempDir();
    const file = join(dir, 'requirements.txt');
    const out = createWriteStream(file);
    const hash = `    --hash=sha256:${'0123456789abcdef'.repeat(4)} \\\n`;
    let written = 0;
    let i = 0;
    while (written < 50 * 1024 * 1024) {
      const block = `package-${i}==1.${i % 100}.0 \\\n${hash.repeat(12)}    --hash=sha256:${'f'.repeat(64)}\n# a comment line that is reasonably long to make the file bigger without more pins\n`;
      if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
      written += block.length;
      i++;
    }
    out.write('last-package==9.9.9');
    await new Promise<void>((r) => out.end(() => r()));
    const r = await parseRequirementsFile(file);
    expect(r.dependencies).toHaveLength(i + 1);
    expect(r.dependencies.at(-1)).toMatchObject({ name: 'last-package', version: '9.9.9', location: { line: i * 15 + 1 } });
    expect(r.dependencies[1]).toMatchObject({ name: 'package-1', version: '1.1.0', location: { line: 16 } });
  }, 120_000);
});

describe('requirements.txt line forms', () => {
  it('ends a requirement at its first option, as pip does, and names an option pip refuses there', async () => {
    const text = [
      'cryptography==2.3 --no-binary cryptography --bogus',
      'flask==0.12 --global-option --no-user-cfg --hash sha256:abc',
      'lxml==4.6.2 --config-settings=--build-option=--static -C x=y',
      'python-dateutil==2.8.0 ; python_version >= "3.6"',
    ].join('\n');
    const r = await parseRequirementsText(text, 'r.txt');
    expect(r.dependencies.map((d) => [d.name, d.version, d.hashes ?? null])).toEqual([
      ['cryptography', '2.3', null],
      ['flask', '0.12', ['sha256:abc']],
      ['lxml', '4.6.2', null],
      ['python-dateutil', '2.8.0', null],
    ]);
    expect(r.warnings.map((w) => [w.code, w.location?.line, w.message])).toEqual([
      // pip 23 takes a whole file's option after a requirement (--no-binary) and refuses an unknown one
      ['PSR_LOCKFILE_SKIPPED', 1, 'unknown option --bogus after a requirement: pip refuses the line; its requirement is scanned as written'],
    ]);
  });

  it('reads option spellings, parenthesised specifiers, CRLF, file URLs and inline hashes', async () => {
    const text = [
      '--requirement=other.txt',
      '--constraint constraints.txt',
      'requests (==2.31.0)',
      'certifi==2023.7.22 --hash=sha256:92d6037539857d8206b8f6ae472e8b77db8058fec5937a1ef3f54304089edbb9',
      'localpkg @ file:///srv/wheels/localpkg-1.0-py3-none-any.whl',
      '-e .',
      '--editable ./libs/core',
      'https://example.com/pkgs/Foo_Bar-2.0.tar.gz#sha256=abc',
      'trailing==1.0 \\',
      '',
      'six==1.16.0\t# tab then comment',
      'name#notacomment==1.0',
      '.',
      '-e .[socks, security]',
    ].join('\r\n');
    const r = await parseRequirementsText(text, 'r.txt');
    expect(r.dependencies.map((d) => [d.name, d.version ?? null, d.unresolvable?.reason ?? null, d.location.line])).toEqual([
      ['requests', '2.31.0', null, 3],
      ['certifi', '2023.7.22', null, 4],
      ['localpkg', null, 'path', 5],
      ['.', null, 'editable', 6],
      ['core', null, 'editable', 7],
      ['foo-bar', null, 'url', 8],
      ['trailing', '1.0', null, 9],
      ['six', '1.16.0', null, 11],
      ['.', null, 'path', 13],
      ['.', null, 'editable', 14],
    ]);
    expect(r.dependencies.at(-1)?.extras).toEqual(['socks', 'security']);
    expect(r.dependencies[1]?.hashes).toEqual(['sha256:92d6037539857d8206b8f6ae472e8b77db8058fec5937a1ef3f54304089edbb9']);
    // `#` not after whitespace is not a comment, so this line is not a valid requirement: warned, not dropped silently
    expect(r.warnings.map((w) => [w.code, w.location?.line])).toEqual([
      ['PSR_LOCKFILE_SKIPPED', 1],
      ['PSR_LOCKFILE_SKIPPED', 12],
    ]);
  });

  it('names an editable install of the requirements file\'s own folder (`-e .`, `-e file:.`) after that folder', async () => {
    const dir = join(tempDir(), 'Acme_Service');
    mkdirSync(dir);
    writeFileSync(join(dir, 'requirements.txt'), '-e .[dev]\n-e file:.\n-e file:../Acme_Service\n');
    const r = await parseRequirementsFile(join(dir, 'requirements.txt'));
    expect(r.dependencies.map((d) => [d.name, d.unresolvable?.spec])).toEqual([
      ['acme-service', '.[dev]'],
      ['acme-service', 'file:.'],
      ['acme-service', 'file:../Acme_Service'],
    ]);
  });

  it('a path reference with no usable last segment is listed under the reference itself, not a parse failure', async () => {
    const r = await parseRequirementsText('flask==3.0.0\n/\t@\n~/ \nsix==1.16.0\n', 'r.txt');
    expect(r.errors).toEqual([]);
    expect(r.dependencies.map((d) => [d.name, d.unresolvable?.reason ?? null])).toEqual([
      ['flask', null],
      ['/\t@', 'path'],
      ['~', 'path'],
      ['six', null],
    ]);
  });

  it('a 50 MB file that is one huge line does not crash', async () => {
    const dir = tempDir();
    const file = join(dir, 'requirements.txt');
    writeFileSync(file, `flask==3.0.0\n${'x'.repeat(50 * 1024 * 1024)}\nsix==1.16.0\n`);
    const r = await parseRequirementsFile(file);
    expect(r.dependencies.map((d) => [d.name.length > 20 ? `x*${d.name.length}` : d.name, d.location.line])).toEqual([
      ['flask', 1],
      [`x*${50 * 1024 * 1024}`, 2],
      ['six', 3],
    ]);
  }, 120_000);
});

describe('environment variables', () => {
  it('replaces ${NAME} in names and versions as pip does, and warns about unset ones', async () => {
    const text = 'celery==${CELERY_VERSION}\n${PKG}[redis]==1.0\nflask==${UNSET}\nrich==${EMPTY}\ntoml==${lower}\n';
    const r = await parseRequirementsText(text, 'requirements.txt', { env: { CELERY_VERSION: '5.3.6', PKG: 'Kombu', EMPTY: '', lower: '9' } });
    expect(r.dependencies.map((d) => [d.name, d.version, d.specifier])).toEqual([
      ['celery', '5.3.6', '==5.3.6'],
      ['kombu', '1.0', '==1.0'],
      ['flask', '${UNSET}', '==${UNSET}'],
      ['rich', '${EMPTY}', '==${EMPTY}'],
      // pip's names are capitals, digits and `_` only.
      ['toml', '${lower}', '==${lower}'],
    ]);
    expect(r.warnings.map((w) => [w.code, w.location?.line, w.message])).toEqual([
      ['PSR_LOCKFILE_UNSET_VARIABLE', 3, 'environment variable UNSET is not set: ${UNSET} is read as written'],
      ['PSR_LOCKFILE_UNSET_VARIABLE', 4, 'environment variable EMPTY is not set: ${EMPTY} is read as written'],
    ]);
  });

  it('never puts a variable into a URL, VCS or path requirement (they hold credentials)', async () => {
    const text = 'pkg @ https://${TOKEN}@example.com/pkg-1.0.whl\ngit+https://${TOKEN}@github.com/o/r.git#egg=r\n-e git+https://${TOKEN}@github.com/o/e.git#egg=e\n';
    const r = await parseRequirementsText(text, 'requirements.txt', { env: { TOKEN: 'ghp_secret' } });
    expect(JSON.stringify(r)).not.toContain('ghp_secret');
    expect(r.dependencies.map((d) => d.unresolvable?.spec)).toEqual([
      'https://${TOKEN}@example.com/pkg-1.0.whl',
      'git+https://${TOKEN}@github.com/o/r.git#egg=r',
      'git+https://${TOKEN}@github.com/o/e.git#egg=e',
    ]);
  });

  it('follows an include whose path names a variable', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'reqs'));
    writeFileSync(join(dir, 'reqs', 'base.txt'), 'six==1.16.0\n');
    writeFileSync(join(dir, 'requirements.txt'), '-r ${REQS}/base.txt\n');
    const r = await parseRequirementsFile(join(dir, 'requirements.txt'), { env: { REQS: 'reqs' } });
    expect(r.dependencies.map((d) => [d.name, d.version, d.location.file])).toEqual([['six', '1.16.0', join(dir, 'reqs', 'base.txt')]]);
    expect(r.warnings).toEqual([]);
  });
});

describe('pip-compile output variants', () => {
  it('reads "# via" after a hash line that still ends in a backslash, and line-style annotations', async () => {
    const text = [
      'flask==3.0.0  # via -r requirements.in',
      'werkzeug==3.0.1 \\',
      '    --hash=sha256:507e811ecea72b18a404947aded4b3390e1db8f826b494d76550ef45bb3b1dcc \\',
      '    # via flask',
      'itsdangerous==2.1.2  # via flask',
    ].join('\n');
    const r = await parseRequirementsText(text, 'requirements.txt');
    expect(r.dependencies.map((d) => [d.name, d.direct, d.path.join('>'), d.location.line])).toEqual([
      ['flask', true, 'flask', 1],
      ['werkzeug', false, 'flask>werkzeug', 2],
      ['itsdangerous', false, 'flask>itsdangerous', 5],
    ]);
  });
});

describe('agreement with pip', () => {
  it('reads names, exact pins and extras as pip 23 does on a file of tricky lines', async () => {
    // pip-expected.json was produced by pip's own requirements parser on the same file (see its generatedBy).
    const dir = join(fixtures, 'pip-oracle');
    const expected = JSON.parse(readFileSync(join(dir, 'pip-expected.json'), 'utf8')) as { requirements: [string, string | null, string | null, string[]][] };
    const r = await parseRequirementsFile(join(dir, 'requirements.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.dependencies.map((d) => [d.name, d.pinned ? d.version : null, [...d.extras].sort()])).toEqual(
      expected.requirements.map(([name, pin, , extras]) => [normalizePypiName(name), pin, extras.map(normalizePypiName).sort()]),
    );
  });
});
