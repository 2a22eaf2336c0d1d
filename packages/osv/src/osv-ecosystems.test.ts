import { describe, expect, it } from 'vitest';
import { misspelledEcosystem, OSV_ECOSYSTEMS } from './osv-ecosystems.js';

describe('misspelledEcosystem', () => {
  it('gives the exact spelling of a known ecosystem written in another case', () => {
    expect(misspelledEcosystem('pypi')).toBe('PyPI');
    expect(misspelledEcosystem('NPM')).toBe('npm');
    expect(misspelledEcosystem('Crates.IO')).toBe('crates.io');
    expect(misspelledEcosystem('github actions')).toBe('GitHub Actions');
  });

  it('accepts the exact spelling, and leaves unknown names to the server', () => {
    for (const e of OSV_ECOSYSTEMS) expect(misspelledEcosystem(e)).toBeUndefined();
    expect(misspelledEcosystem('Cargo')).toBeUndefined();
    expect(misspelledEcosystem('MyMirrorEcosystem')).toBeUndefined();
  });
});
