// The compiled index of a folder source is reused while the folder is unchanged and rebuilt
// as soon as a record is added, removed or replaced.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INDEX_FORMAT } from '../index-file.js';
import { matchPackage } from '../match.js';
import { OsvIndex } from '../osv-index.js';
import { LocalSource } from './local-source.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function record(id: string, fixed: string): string {
  return `id: ${id}\nmodified: "2024-01-01T00:00:00Z"\naffected:\n- package: {name: demo, ecosystem: PyPI}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: "0"\n    - fixed: ${fixed}\n`;
}

async function ids(src: string, cache: string, version: string): Promise<{ ids: string[]; built: boolean }> {
  const loaded = await new LocalSource(src).open(cache);
  const index = new OsvIndex([loaded]);
  try {
    return { ids: matchPackage(index.advisoriesFor('PyPI', 'demo'), 'PyPI', 'demo', version).groups.map((g) => g.id), built: loaded.built };
  } finally {
    index.close();
  }
}

/** A fresh advisory folder holding one record (PYSEC-1, fixed in 2.0) for `demo`, and a cache folder. */
function demoFolder(): { src: string; cache: string } {
  const root = mkdtempSync(join(tmpdir(), 'psr-osv-folder-'));
  dirs.push(root);
  const src = join(root, 'db');
  mkdirSync(join(src, 'vulns', 'demo'), { recursive: true });
  writeFileSync(join(src, 'vulns', 'demo', 'PYSEC-1.yaml'), record('PYSEC-1', '2.0'));
  return { src, cache: join(root, 'cache') };
}

describe('folder source index cache', () => {
  it('reuses the index until a record is added, replaced or removed', async () => {
    const { src, cache } = demoFolder();
    expect(await ids(src, cache, '1.5')).toEqual({ ids: ['PYSEC-1'], built: true });
    expect(await ids(src, cache, '1.5')).toEqual({ ids: ['PYSEC-1'], built: false });

    writeFileSync(join(src, 'vulns', 'demo', 'PYSEC-2.yaml'), record('PYSEC-2', '1.6'));
    expect(await ids(src, cache, '1.5')).toEqual({ ids: ['PYSEC-1', 'PYSEC-2'], built: true });

    // Replaced the way git does it (a new file renamed over the old one).
    writeFileSync(join(src, 'vulns', 'demo', 'tmp'), record('PYSEC-2', '1.5'));
    renameSync(join(src, 'vulns', 'demo', 'tmp'), join(src, 'vulns', 'demo', 'PYSEC-2.yaml'));
    expect(await ids(src, cache, '1.5')).toEqual({ ids: ['PYSEC-1'], built: true });

    rmSync(join(src, 'vulns', 'demo', 'PYSEC-1.yaml'));
    expect(await ids(src, cache, '1.5')).toEqual({ ids: [], built: true });
  });

  it('calls onBuild before it compiles an index, and only then', async () => {
    const { src, cache } = demoFolder();
    const calls: string[] = [];
    // What each call sees: how many complete indexes (meta.json written) the cache holds then.
    const indexes = (): number =>
      existsSync(join(cache, 'osv-index')) ? readdirSync(join(cache, 'osv-index')).filter((d) => existsSync(join(cache, 'osv-index', d, 'meta.json'))).length : 0;
    const open = async (): Promise<{ built: boolean }> => {
      const loaded = await new LocalSource(src).open(cache, { onBuild: () => calls.push(`build ${indexes()}`) });
      for (const f of loaded.files) f.close();
      return loaded;
    };
    expect((await open()).built).toBe(true);
    expect(calls).toEqual(['build 0']);
    expect((await open()).built).toBe(false);
    expect(calls).toHaveLength(1);
    // A new record: a new index is built (the one it replaces is removed once it is complete).
    writeFileSync(join(src, 'vulns', 'demo', 'PYSEC-2.yaml'), record('PYSEC-2', '1.6'));
    expect((await open()).built).toBe(true);
    expect(calls).toEqual(['build 0', 'build 1']);
  });

  it('removes the indexes a new build of the same data replaces, and nothing else', async () => {
    const { src, cache } = demoFolder();
    const other = demoFolder();
    const root = join(cache, 'osv-index');
    const indexes = (): string[] => readdirSync(root).filter((d) => d !== 'folders').sort();
    await ids(other.src, cache, '1.5');
    const otherIndex = indexes();
    await ids(src, cache, '1.5');
    const first = indexes().filter((d) => !otherIndex.includes(d));
    expect(first).toHaveLength(1);
    // What an older psr left: an index of another format for this folder, with its pointer, and a
    // folder another process is still writing (no meta.json yet).
    const old = join(root, 'f'.repeat(32));
    mkdirSync(old);
    writeFileSync(join(old, 'meta.json'), JSON.stringify({ format: INDEX_FORMAT - 1, key: 'f'.repeat(32), snapshot: { location: src } }));
    const stem = readdirSync(join(root, 'folders')).find((f) => f.endsWith(`.f${INDEX_FORMAT}.json`) && readFileSync(join(root, 'folders', f), 'utf8').includes(first[0]!))!.split('.')[0]!;
    writeFileSync(join(root, 'folders', `${stem}.f${INDEX_FORMAT - 1}.json`), '{}');
    mkdirSync(join(root, 'e'.repeat(32)));

    writeFileSync(join(src, 'vulns', 'demo', 'PYSEC-2.yaml'), record('PYSEC-2', '1.6'));
    expect(await ids(src, cache, '1.5')).toEqual({ ids: ['PYSEC-1', 'PYSEC-2'], built: true });
    const now = indexes();
    expect(now).not.toContain(first[0]);
    expect(now).not.toContain('f'.repeat(32));
    expect(now).toContain('e'.repeat(32));
    for (const d of otherIndex) expect(now).toContain(d);
    expect(now).toHaveLength(otherIndex.length + 2);
    expect(readdirSync(join(root, 'folders')).filter((f) => f.startsWith(stem))).toEqual([`${stem}.f${INDEX_FORMAT}.json`]);
    // The other folder's index still answers without a rebuild.
    expect(await ids(other.src, cache, '1.5')).toEqual({ ids: ['PYSEC-1'], built: false });
  });

  it('rebuilds an index file written in another format', async () => {
    const { src, cache } = demoFolder();
    expect(await ids(src, cache, '1.5')).toEqual({ ids: ['PYSEC-1'], built: true });
    // An older build left in place: same folder, header of the previous format.
    const dir = join(cache, 'osv-index', readdirSync(join(cache, 'osv-index')).find((d) => d !== 'folders')!);
    const file = join(dir, 'PyPI.idx');
    writeFileSync(file, readFileSync(file, 'latin1').replace(`{"format":${INDEX_FORMAT},`, `{"format":${INDEX_FORMAT - 1},`), 'latin1');
    expect(await ids(src, cache, '1.5')).toEqual({ ids: ['PYSEC-1'], built: true });
    expect(await ids(src, cache, '1.5')).toEqual({ ids: ['PYSEC-1'], built: false });
  });

  it('reads each package from the cached index exactly as it was built, until closed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'psr-osv-folder-'));
    dirs.push(root);
    const src = join(root, 'db');
    mkdirSync(join(src, 'vulns', 'demo'), { recursive: true });
    writeFileSync(join(src, 'vulns', 'demo', 'PYSEC-1.yaml'), record('PYSEC-1', '2.0'));
    writeFileSync(join(src, 'vulns', 'demo', 'PYSEC-2.yaml'), record('PYSEC-2', '1.6').replace('name: demo', 'name: Other_Pkg'));
    const built = new OsvIndex([await new LocalSource(src).open(join(root, 'cache'))]);
    const cachedSource = await new LocalSource(src).open(join(root, 'cache'));
    expect(cachedSource.built).toBe(false);
    const cached = new OsvIndex([cachedSource]);
    for (const name of ['demo', 'other-pkg', 'absent']) expect(cached.advisoriesFor('PyPI', name)).toEqual(built.advisoriesFor('PyPI', name));
    expect(cached.advisoriesFor('PyPI', 'other-pkg')).toMatchObject([{ id: 'PYSEC-2', source: 'db' }]);
    cached.close();
    expect(() => cached.advisoriesFor('PyPI', 'demo')).toThrow('index file is closed');
  });

  it('fails with file:line:col when a record does not parse', async () => {
    const root = mkdtempSync(join(tmpdir(), 'psr-osv-folder-'));
    dirs.push(root);
    mkdirSync(join(root, 'db'));
    writeFileSync(join(root, 'db', 'PYSEC-3.yaml'), 'id: PYSEC-3\naffected: [\n  - broken: {\n');
    await expect(new LocalSource(join(root, 'db')).open(join(root, 'cache'))).rejects.toMatchObject({
      code: 'PSR_OSV_SOURCE_FAILED',
      location: { file: join(root, 'db', 'PYSEC-3.yaml'), line: expect.any(Number) },
    });
  });
});
