// Regenerates docs/cli.md from the built command table: node apps/cli/scripts/cli-docs.mjs
import { writeFileSync } from 'node:fs';
import { renderCliDocs } from '../dist/main.js';

const target = new URL('../../../docs/cli.md', import.meta.url);
writeFileSync(target, await renderCliDocs());
console.log(`wrote ${target.pathname}`);
