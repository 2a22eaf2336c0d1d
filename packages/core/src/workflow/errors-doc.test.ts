import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.js';

const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it.each(Object.values(ErrorCodes))('documents %s with an example and its exit code', (code) => {
    const start = doc.indexOf(`### ${code}\n`);
    expect(start, `no "### ${code}" section`).toBeGreaterThan(-1);
    const next = doc.indexOf('\n#', start + 4);
    const section = doc.slice(start, next === -1 ? undefined : next);
    expect(section).toMatch(/- Example: /);
    expect(section).toMatch(/- Exit code: (1|2)\n/);
  });
});
