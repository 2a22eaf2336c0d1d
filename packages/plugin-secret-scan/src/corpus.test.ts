import { afterAll, describe, expect, it } from 'vitest';
import { scanSecrets } from './scan-secrets.js';
import { buildLabelledCorpus } from './testing/labelled-corpus.js';
import { tempRepo } from './testing/temp-repo.js';

const repo = tempRepo('psr-secret-corpus-');
afterAll(() => repo.dispose());

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
});
