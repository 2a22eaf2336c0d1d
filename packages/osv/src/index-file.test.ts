// The index file's blocked directory: lookups across block boundaries, from memory and from
// disk, and damage found in a block.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileAdvisory, type IndexedAdvisory } from './compiled-advisory.js';
import { encodeIndexFile, IndexFile } from './index-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function advisory(name: string, fixed: string): IndexedAdvisory {
  const raw = { id: `GHSA-${name}`, summary: `issue in ${name}`, affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }] };
  return compileAdvisory(raw, 'test').entries[0]!.advisory;
}

// 300 packages: three directory blocks (128, 128, 44 names).
const names = Array.from({ length: 300 }, (_, i) => `pkg-${String(i).padStart(3, '0')}`);
const bytes = encodeIndexFile('npm', 'test', new Map(names.map((n, i) => [n, [advisory(n, `1.${i}.0`)]])));

function onDisk(): { file: IndexFile; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'psr-index-file-'));
  dirs.push(dir);
  const path = join(dir, 'npm.idx');
  writeFileSync(path, bytes);
  return { file: IndexFile.read(path), path };
}

describe('IndexFile', () => {
  it('finds every package across directory blocks, from memory and from disk, and nothing else', () => {
    const { file } = onDisk();
    for (const index of [IndexFile.decode(bytes), file]) {
      expect(index.packageCount).toBe(300);
      expect(index.packageNames()).toEqual(names);
      // The first and last of each block, and their neighbours, in order and out of it.
      for (const i of [0, 127, 128, 255, 256, 299, 5, 200, 131]) {
        expect(index.has(names[i]!)).toBe(true);
        expect(index.advisoriesFor(names[i]!).map((a) => [a.id, a.source])).toEqual([[`GHSA-${names[i]}`, 'test']]);
      }
      for (const absent of ['a', 'pkg-', 'pkg-127a', 'pkg-299a', 'zzz']) {
        expect(index.has(absent)).toBe(false);
        expect(index.advisoriesFor(absent)).toEqual([]);
      }
    }
    file.close();
  });

  it('keeps its header small: the first name of each directory block, not every name', () => {
    const text = bytes.toString('latin1');
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as { count: number; firstNames: string[] };
    expect(header.count).toBe(300);
    expect(header.firstNames).toEqual(['pkg-000', 'pkg-128', 'pkg-256']);
    expect(text.indexOf('\n')).toBeLessThan(300);
  });

  it('reports a damaged directory block as a damaged index and removes the file', () => {
    const { path } = onDisk();
    // Garble the second block only: lookups in the first still work.
    const text = readFileSync(path, 'latin1');
    const second = text.indexOf('{"names":["pkg-128"');
    writeFileSync(path, `${text.slice(0, second)}[${text.slice(second + 1)}`, 'latin1');
    const file = IndexFile.read(path);
    expect(file.has('pkg-010')).toBe(true);
    expect(() => file.has('pkg-130')).toThrow(expect.objectContaining({ code: 'PSR_OSV_INDEX_DAMAGED', message: expect.stringContaining('pkg-130') }));
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a file whose directory and body do not add up', () => {
    const { path } = onDisk();
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    expect(() => IndexFile.read(path)).toThrow(/holds \d+ bytes after its header/);
  });
});
