import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { builtinRules } from '../rules/table.js';
import { renderSecretScanDocs } from './render-docs.js';

it('docs/plugins/secret-scan.md is current (regenerate: node packages/plugin-secret-scan/scripts/rule-docs.mjs after building)', () => {
  const onDisk = readFileSync(new URL('../../../../docs/plugins/secret-scan.md', import.meta.url), 'utf8');
  expect(onDisk).toBe(renderSecretScanDocs());
  for (const rule of builtinRules) expect(onDisk).toContain(`| \`${rule.id}\` |`);
});
