import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanSecrets } from './scan-secrets.js';
import { buildLabelledCorpus } from './testing/labelled-corpus.js';
import { tempRepo } from './testing/temp-repo.js';

const repo = tempRepo('psr-secret-corpus-');
afterAll(() => repo.dispose());

/** Real-shaped files whose credential lines carry a `psr-allow` comment: the comment is the label. */
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'labelled');

function labelledLines(root: string): string[] {
  const labels: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else {
        const bytes = readFileSync(file);
        const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.toString('utf16le', 2) : bytes.toString('utf8');
        text.split('\n').forEach((line, i) => {
          if (line.includes('psr-allow')) labels.push(`${path.relative(root, file)}:${i + 1}`);
        });
      }
    }
  };
  walk(root);
  return labels.sort();
}

describe('labelled corpus', () => {
  it('reaches F1 >= 0.95 on realistic files with hard negatives', async () => {
    const corpus = await buildLabelledCorpus();
    const labels = new Set<string>();
    for (const f of corpus) {
      repo.write(f.path, f.content);
      for (const line of f.positives) labels.add(`${f.path}:${line}`);
    }
    const result = await scanSecrets({ root: repo.root, mode: 'files' });
    const reported = new Set(result.active.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line}`));
    const tp = [...reported].filter((k) => labels.has(k));
    const fp = [...reported].filter((k) => !labels.has(k));
    const fn = [...labels].filter((k) => !reported.has(k));
    const precision = tp.length / (tp.length + fp.length);
    const recall = tp.length / (tp.length + fn.length);
    const f1 = (2 * precision * recall) / (precision + recall);
    console.log(`secret-scan corpus: ${labels.size} labelled secrets, ${reported.size} reported; precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} F1 ${f1.toFixed(3)}`);
    expect({ fp, fn }).toEqual({ fp: [], fn: [] });
    expect(f1).toBeGreaterThanOrEqual(0.95);
  });

  it('finds every credential of the fixture files (netrc, Hibernate and Spring XML, mysql -p, kubeconfig, *_KEY names, UTF-16) and nothing else', async () => {
    const labels = labelledLines(FIXTURES);
    expect(labels.length).toBeGreaterThanOrEqual(20);
    const result = await scanSecrets({ root: FIXTURES, mode: 'files' });
    const reported = result.findings.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line}`).sort();
    // Every finding sits on a labelled line (allowed inline there), so none is active.
    expect(result.active.map((f) => `${f.locations[0]?.file}:${f.locations[0]?.line} ${f.id}`)).toEqual([]);
    expect(reported).toEqual(labels);
  });
});
