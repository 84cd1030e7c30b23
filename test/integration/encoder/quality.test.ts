import { expect } from 'chai';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { SEMANTIC_TRIPLES } from '../../fixtures/semanticPairs.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { cosine, embedTexts, maxAbsDiff, startRealRuntime } from '../../support/model.js';

describe('production pipeline quality on the real model', () => {
  let fp32: EmbedlineRuntime;
  let int8: EmbedlineRuntime;

  before(async () => {
    fp32 = await startRealRuntime();
    int8 = await startRealRuntime({ variant: 'int8' });
  });

  after(async () => {
    await fp32?.close();
    await int8?.close();
  });

  it('int8 vectors stay close to fp32: mean cosine ≥ 0.98 over the varied sentences', async () => {
    const a = await embedTexts(fp32, VARIED_SENTENCES);
    const b = await embedTexts(int8, VARIED_SENTENCES);

    const cosines = a.map((v, i) => cosine(v, b[i]!));
    const mean = cosines.reduce((s, c) => s + c, 0) / cosines.length;
    const min = Math.min(...cosines);
    console.log(`      int8 vs fp32 over ${cosines.length} texts: mean cosine ${mean.toFixed(5)}, min ${min.toFixed(5)}`);

    expect(mean).to.be.at.least(0.98);
  });

  it('gives a sentence the same vector whichever sentences share its batch (max abs diff ≤ 1e-5)', async () => {
    const sample = VARIED_SENTENCES.slice(0, 60);
    const together = await embedTexts(fp32, sample);

    for (let i = 0; i < sample.length; i++) {
      const [alone] = await embedTexts(fp32, [sample[i]!]);
      expect(maxAbsDiff(alone!, together[i]!), `text ${i}`).to.be.at.most(1e-5);
    }
  });

  it('scores each paraphrase above the unrelated sentence', async () => {
    expect(SEMANTIC_TRIPLES.length).to.be.at.least(20);
    for (const { anchor, paraphrase, unrelated } of SEMANTIC_TRIPLES) {
      const [a, p, u] = await embedTexts(fp32, [anchor, paraphrase, unrelated]);

      expect(cosine(a!, p!), anchor).to.be.greaterThan(cosine(a!, u!));
    }
  });
});
