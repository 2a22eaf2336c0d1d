// Regenerates docs/plugins/secret-scan.md from the built rule table:
//   node packages/plugin-secret-scan/scripts/rule-docs.mjs   (after building the package)
import { writeFileSync } from 'node:fs';
import { renderSecretScanDocs } from '../dist/index.js';

const target = new URL('../../../docs/plugins/secret-scan.md', import.meta.url);
writeFileSync(target, renderSecretScanDocs());
console.log(`wrote ${target.pathname}`);
