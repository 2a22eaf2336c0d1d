import { describe, expect, it } from 'vitest';
import { expandMatrix, matrixInstanceId } from './matrix.js';

describe('expandMatrix (GitHub Actions semantics)', () => {
  it('builds the cartesian product in axis order', () => {
    const combos = expandMatrix({ axes: { python: ['3.10', '3.11', '3.12'], os: ['linux', 'mac'] }, include: [], exclude: [] });
    expect(combos).toHaveLength(6);
    expect(combos.map((c) => matrixInstanceId('build', c))).toEqual([
      'build (python=3.10, os=linux)',
      'build (python=3.10, os=mac)',
      'build (python=3.11, os=linux)',
      'build (python=3.11, os=mac)',
      'build (python=3.12, os=linux)',
      'build (python=3.12, os=mac)',
    ]);
  });

  it('drops excluded combinations, extends matching ones with include, and adds unmatched includes', () => {
    const combos = expandMatrix({
      axes: { python: ['3.11', '3.12'], os: ['linux', 'mac'] },
      exclude: [{ python: '3.11', os: 'mac' }],
      include: [{ python: '3.12', experimental: true }, { python: '3.13', os: 'linux' }],
    });
    expect(combos).toEqual([
      { python: '3.11', os: 'linux' },
      { python: '3.12', os: 'linux', experimental: true },
      { python: '3.12', os: 'mac', experimental: true },
      { python: '3.13', os: 'linux' },
    ]);
  });

  it('ids use the values as written, JSON for non-strings', () => {
    expect(matrixInstanceId('t', { n: 1, flag: true, cfg: { a: 1 } })).toBe('t (n=1, flag=true, cfg={"a":1})');
    expect(matrixInstanceId('t', {})).toBe('t');
  });
});
