import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderCliDocs } from './cli-docs.js';

it('docs/cli.md is current (regenerate: node apps/cli/scripts/cli-docs.mjs after building)', async () => {
  const onDisk = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
  expect(onDisk).toBe(await renderCliDocs());
});
