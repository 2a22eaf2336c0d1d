// Zip sources and `db import` against archives built here, including hostile ones.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, strToU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { compileEntry, databaseSources, entrySource, importSource, listDatabase, staleDownloadDays } from '../database.js';
import { matchPackage } from '../match.js';
import { OsvIndex } from '../osv-index.js';
import { LocalSource } from './local-source.js';
import { readZipEntries } from './zip-archive.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'psr-osv-zip-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// Real-shaped osv.dev export entry (PYSEC-2019-217, jinja2).
const JINJA = JSON.stringify({
  id: 'PYSEC-2019-217',
  modified: '2021-06-16T00:03:24.800813Z',
  aliases: ['CVE-2019-10906', 'GHSA-462w-v97r-4m45'],
  details: 'In Pallets Jinja before 2.10.1, str.format_map allows a sandbox escape.',
  affected: [{ package: { name: 'jinja2', ecosystem: 'PyPI', purl: 'pkg:pypi/jinja2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.10.1' }] }] }],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N' }],
});

function writeZip(dir: string, files: Record<string, Uint8Array | [Uint8Array, { attrs?: number; os?: number }]>): string {
  const path = join(dir, 'all.zip');
  writeFileSync(path, zipSync(files as Parameters<typeof zipSync>[0]));
  return path;
}

describe('zip sources', () => {
  it('reads an osv.dev-style all.zip and matches from it', async () => {
    const d = tmp();
    const zip = writeZip(d, { 'PYSEC-2019-217.json': strToU8(JINJA) });
    const loaded = await new LocalSource(zip, { name: 'PyPI' }).open(join(d, 'cache'));
    expect(loaded.built).toBe(true);
    expect(loaded.snapshot.snapshot).toMatch(/^sha256:[0-9a-f]{16}$/);
    const index = new OsvIndex([loaded]);
    const m = matchPackage(index.advisoriesFor('PyPI', 'Jinja2'), 'PyPI', 'jinja2', '2.10');
    expect(m.groups.map((g) => [g.id, g.severity.level, g.fixedIn])).toEqual([['PYSEC-2019-217', 'high', '2.10.1']]);
    // Second open: served from the compiled index.
    expect((await new LocalSource(zip).open(join(d, 'cache'))).built).toBe(false);
  });

  it.each([
    ['../evil.json', /climbs out/],
    ['/etc/evil.json', /absolute path/],
    ['a/../../evil.json', /climbs out/],
  ])('rejects a zip-slip entry %s', async (name, why) => {
    const d = tmp();
    const zip = writeZip(d, { 'ok.json': strToU8(JINJA), [name]: strToU8(JINJA) });
    await expect(new LocalSource(zip).open(join(d, 'cache'))).rejects.toMatchObject({ code: 'PSR_OSV_SOURCE_FAILED', message: expect.stringMatching(why) });
    await expect(importSource(join(d, 'cache'), zip)).rejects.toMatchObject({ code: 'PSR_OSV_ZIP_INVALID' });
    expect(existsSync(join(d, 'evil.json'))).toBe(false);
  });

  it('rejects a symlink entry', async () => {
    const d = tmp();
    const zip = writeZip(d, { 'link.json': [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    await expect(importSource(join(d, 'cache'), zip)).rejects.toMatchObject({ code: 'PSR_OSV_ZIP_INVALID', message: expect.stringMatching(/symbolic link/) });
  });

  it('reads ZIP64 archives (what exports of more than 65,535 records are) and stored entries', async () => {
    const d = tmp();
    // Written by Python's zipfile with ZIP64 end records (as osv.dev's large exports have them).
    const zip64 = fileURLToPath(new URL('../../fixtures/zip64-two-records.zip', import.meta.url));
    const index = new OsvIndex([await new LocalSource(zip64).open(join(d, 'cache'))]);
    expect(index.match('PyPI', 'jinja2', '2.10').groups.map((g) => g.id)).toEqual(['PYSEC-2019-217', 'PYSEC-2021-66']);
    index.close();
    const stored = join(d, 'stored.zip');
    writeFileSync(stored, zipSync({ 'PYSEC-2019-217.json': strToU8(JINJA) }, { level: 0 }));
    expect((await new LocalSource(stored).open(join(d, 'cache2'))).snapshot.advisories).toBe(1);
  });

  it('stops inflating an entry at the size limit even when its header claims less (a zip bomb)', async () => {
    const d = tmp();
    const zip = writeZip(d, { 'bomb.json': new Uint8Array(10_000) });
    const bytes = readFileSync(zip);
    // The central directory record's uncompressed size (offset 24) claims 100 bytes.
    bytes.writeUInt32LE(100, bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    writeFileSync(zip, bytes);
    await expect(readZipEntries(zip, () => undefined, { maxEntryBytes: 1000 })).rejects.toMatchObject({ code: 'PSR_OSV_ZIP_INVALID', message: 'entry "bomb.json" inflates past 1000 bytes' });
    await expect(readZipEntries(zip, () => undefined)).rejects.toMatchObject({ message: 'entry "bomb.json" is corrupt (10000 bytes inflated, its header says 100)' });
  });

  it('refuses an entry whose data is damaged', async () => {
    const d = tmp();
    const zip = writeZip(d, { 'PYSEC-2019-217.json': strToU8(JINJA) });
    const bytes = readFileSync(zip);
    // The deflated data starts after the 30-byte local header and the name.
    const data = 30 + 'PYSEC-2019-217.json'.length;
    bytes.fill(0xff, data, data + 8);
    writeFileSync(zip, bytes);
    await expect(new LocalSource(zip).open(join(d, 'cache'))).rejects.toMatchObject({ code: 'PSR_OSV_SOURCE_FAILED', message: expect.stringMatching(/PYSEC-2019-217\.json" is corrupt/) });
  });

  it('refuses an archive whose end record declares fewer entries than it holds (over 65,535 without ZIP64)', async () => {
    const d = tmp();
    const zip = writeZip(d, { 'a.json': strToU8(JINJA), 'b.json': strToU8(JINJA.replace('PYSEC-2019-217', 'PYSEC-2019-218')), 'c.json': strToU8(JINJA.replace('PYSEC-2019-217', 'PYSEC-2019-219')) });
    // What a zip library without ZIP64 writes for 65,539 entries: the count modulo 65,536 (here 3 → 2).
    const bytes = readFileSync(zip);
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    bytes.writeUInt16LE(2, end + 8);
    bytes.writeUInt16LE(2, end + 10);
    writeFileSync(zip, bytes);
    await expect(new LocalSource(zip).open(join(d, 'cache'))).rejects.toMatchObject({
      code: 'PSR_OSV_SOURCE_FAILED',
      message: expect.stringMatching(/declares 2 entries in its end record, but its central directory holds more .*without ZIP64/),
    });
    await expect(importSource(join(d, 'cache'), zip)).rejects.toMatchObject({ code: 'PSR_OSV_ZIP_INVALID', hint: expect.stringMatching(/ZIP64/) });
  });

  it('rejects a file that is not a zip, and a record that is not OSV', async () => {
    const d = tmp();
    const bogus = join(d, 'bogus.zip');
    writeFileSync(bogus, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x00]));
    await expect(new LocalSource(bogus).open(join(d, 'cache'))).rejects.toMatchObject({ code: 'PSR_OSV_SOURCE_FAILED' });
    const notOsv = writeZip(d, { 'x.json': strToU8('{"hello": 1}') });
    await expect(new LocalSource(notOsv).open(join(d, 'cache2'))).rejects.toMatchObject({ message: expect.stringMatching(/not an OSV record/) });
  });
});

describe('db import', () => {
  it('imports a PyPA-layout folder, refuses symlinks inside it, and lists the entry', async () => {
    const d = tmp();
    const src = join(d, 'advisories');
    mkdirSync(join(src, 'vulns', 'jinja2'), { recursive: true });
    writeFileSync(join(src, 'vulns', 'jinja2', 'PYSEC-2019-217.yaml'), 'id: PYSEC-2019-217\naffected:\n- package: {name: jinja2, ecosystem: PyPI}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: "0"\n    - fixed: 2.10.1\n');
    const cache = join(d, 'cache');
    const entry = await importSource(cache, src);
    expect(entry).toMatchObject({ name: 'advisories', kind: 'folder', snapshot: expect.stringMatching(/^sha256:/) });
    expect(readFileSync(join(entry.dataPath, 'vulns', 'jinja2', 'PYSEC-2019-217.yaml'), 'utf8')).toContain('fixed: 2.10.1');
    expect(listDatabase(cache).map((e) => e.name)).toEqual(['advisories']);

    symlinkSync('/etc/passwd', join(src, 'vulns', 'jinja2', 'evil.yaml'));
    await expect(importSource(cache, src)).rejects.toMatchObject({ code: 'PSR_OSV_IMPORT_FAILED', message: expect.stringMatching(/symbolic link/) });
    // The previous import is untouched.
    expect(listDatabase(cache)[0]!.snapshot).toBe(entry.snapshot);
  });

  it('refuses data with a record that does not parse, naming it where the user has it, and keeps the previous import in use', async () => {
    const d = tmp();
    const good = join(d, 'good');
    mkdirSync(join(good, 'vulns', 'jinja2'), { recursive: true });
    writeFileSync(join(good, 'vulns', 'jinja2', 'PYSEC-2019-217.json'), JINJA);
    const bad = join(d, 'bad');
    mkdirSync(join(bad, 'vulns', 'flask'), { recursive: true });
    writeFileSync(join(bad, 'vulns', 'flask', 'PYSEC-X.yaml'), 'id: PYSEC-X\naffected:\n  - package: {name: flask, ecosystem: PyPI\n');
    const cache = join(d, 'cache');
    const first = await importSource(cache, good, { name: 't' });
    const badFile = join(bad, 'vulns', 'flask', 'PYSEC-X.yaml');
    await expect(importSource(cache, bad, { name: 't' })).rejects.toMatchObject({
      code: 'PSR_OSV_IMPORT_FAILED',
      message: expect.stringMatching(new RegExp(`^${bad} was not imported: ${badFile}: advisory does not parse: .*; t keeps its previous data \\(${first.snapshot} from ${good}\\)$`)),
      location: { file: badFile, line: 4, col: 1 },
    });
    // A zip names the record inside the user's archive.
    const zip = join(d, 'bad.zip');
    writeFileSync(zip, zipSync({ 'ok.json': strToU8(JINJA), 'bad.json': strToU8('{"id": "X-2", "affected": [}') }));
    await expect(importSource(cache, zip, { name: 't' })).rejects.toMatchObject({ code: 'PSR_OSV_IMPORT_FAILED', location: { file: `${zip}!/bad.json` } });
    // The previous import is in use, compiled, and nothing of the refused data is left.
    const [kept] = listDatabase(cache);
    expect(kept).toEqual({ name: 't', kind: 'folder', origin: good, snapshot: first.snapshot, fetchedAt: first.fetchedAt, dataPath: first.dataPath, bytes: first.bytes });
    expect(entrySource(kept!).compiledSnapshot(cache)).toEqual(first.compiled);
    expect(readdirSync(join(cache, 'db', 't')).sort()).toEqual([basename(first.dataPath), 'source.json']);
    expect(readdirSync(join(cache, 'osv-index'))).toHaveLength(1);
    // With no previous import, nothing is added.
    await expect(importSource(cache, bad)).rejects.toMatchObject({ message: expect.stringMatching(/; nothing was added to the database$/) });
    expect(listDatabase(cache).map((e) => e.name)).toEqual(['t']);
    expect(readdirSync(join(cache, 'db', 'bad'))).toEqual([]);
  });

  it('keys the index by the entry content hash: a re-import of the same data reuses it, new data recompiles it', async () => {
    const d = tmp();
    const src = join(d, 'advisories');
    const record = (id: string, fixed: string): string => `id: ${id}\naffected:\n- package: {name: jinja2, ecosystem: PyPI}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: "0"\n    - fixed: ${fixed}\n`;
    mkdirSync(join(src, 'vulns', 'jinja2'), { recursive: true });
    writeFileSync(join(src, 'vulns', 'jinja2', 'PYSEC-2019-217.yaml'), record('PYSEC-2019-217', '2.10.1'));
    const cache = join(d, 'cache');
    const open = async (): Promise<{ built: boolean; ids: string[] }> => {
      const loaded = await databaseSources(cache)[0]!.open(cache);
      const index = new OsvIndex([loaded]);
      const ids = index.match('PyPI', 'jinja2', '2.10').groups.map((g) => g.id);
      index.close();
      return { built: loaded.built, ids };
    };
    // The import compiled the index: the first scan finds it.
    await importSource(cache, src);
    expect(await open()).toEqual({ built: false, ids: ['PYSEC-2019-217'] });
    // Data psr writes needs no folder times: no pointer is kept for it.
    expect(existsSync(join(cache, 'osv-index', 'folders'))).toBe(false);
    await importSource(cache, src);
    expect((await open()).built).toBe(false);

    writeFileSync(join(src, 'vulns', 'jinja2', 'PYSEC-2021-66.yaml'), record('PYSEC-2021-66', '2.11.3'));
    const second = await importSource(cache, src);
    expect(second.compiled.advisories).toBe(2);
    expect(await open()).toEqual({ built: false, ids: ['PYSEC-2019-217', 'PYSEC-2021-66'] });
    // The index and the data of the previous import are gone.
    expect(readdirSync(join(cache, 'osv-index'))).toHaveLength(1);
    expect(readdirSync(join(cache, 'db', 'advisories')).sort()).toEqual([basename(second.dataPath), 'source.json']);
  });

  it('compiles an entry on demand and tells how current its data is, without opening the index', async () => {
    const d = tmp();
    const src = join(d, 'advisories');
    mkdirSync(join(src, 'vulns', 'jinja2'), { recursive: true });
    const record = (id: string, modified: string): string => `id: ${id}\nmodified: "${modified}"\naffected:\n- package: {name: jinja2, ecosystem: PyPI}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: "0"\n    - fixed: 2.10.1\n`;
    writeFileSync(join(src, 'vulns', 'jinja2', 'PYSEC-2019-217.yaml'), record('PYSEC-2019-217', '2021-07-05T00:01:23Z'));
    writeFileSync(join(src, 'vulns', 'jinja2', 'PYSEC-2021-66.yaml'), record('PYSEC-2021-66', '2023-10-25T18:28:34Z'));
    const cache = join(d, 'cache');
    const entry = await importSource(cache, src);
    expect(entry.compiled).toEqual(entrySource(entry).compiledSnapshot(cache));
    // Without its index (a cleared cache), the entry is compiled on demand.
    rmSync(join(cache, 'osv-index'), { recursive: true });
    expect(entrySource(entry).compiledSnapshot(cache)).toBeUndefined();
    const compiled = await compileEntry(cache, entry);
    expect(compiled).toMatchObject({ name: 'advisories', snapshot: entry.snapshot, advisories: 2, packages: 1, withdrawn: 0, newestModified: '2023-10-25T18:28:34Z', fetchedAt: entry.fetchedAt });
    expect(entrySource(entry).compiledSnapshot(cache)).toEqual(compiled);
    // The next scan finds it compiled.
    const loaded = await databaseSources(cache)[0]!.open(cache);
    for (const f of loaded.files) f.close();
    expect(loaded.built).toBe(false);
    // A source that psr does not manage would have to be fingerprinted: no answer.
    expect(new LocalSource(src).compiledSnapshot(cache)).toBeUndefined();
  });

  it('counts downloaded data as stale after a week, and imported data never', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const url = 'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip';
    expect(staleDownloadDays(url, '2026-11-29T12:00:00Z', now)).toBeUndefined(); // 7 days: still fresh
    expect(staleDownloadDays(url, '2026-11-28T11:00:00Z', now)).toBe(8);
    expect(staleDownloadDays(url, undefined, now)).toBeUndefined();
    expect(staleDownloadDays('/srv/advisory-database', '2020-01-01T00:00:00Z', now)).toBeUndefined();
  });
});
