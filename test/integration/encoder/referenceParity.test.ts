import { expect } from 'chai';
import { Tensor, type FeatureExtractionPipeline } from '@huggingface/transformers';
import type { TextTokenizer } from '../../../core/encoder/TextTokenizer.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { cosine, embedTexts, realModel, runtimeTokenizer, startRealRuntime } from '../../support/model.js';
import { transformersJsExtractor } from '../../support/transformersJs.js';

describe('production pipeline parity with transformers.js on the real all-MiniLM-L6-v2 (fp32)', () => {
  let runtime: EmbedlineRuntime;
  let tokenizer: TextTokenizer;
  let extractor: FeatureExtractionPipeline;
  let ours: Float32Array[];
  let tokenCounts: number[];

  before(async () => {
    const model = await realModel();
    runtime = await startRealRuntime();
    tokenizer = await runtimeTokenizer(runtime);
    extractor = await transformersJsExtractor(model, 'all-MiniLM-L6-v2');
    ours = await embedTexts(runtime, VARIED_SENTENCES);
    tokenCounts = (await tokenizer.tokenize(VARIED_SENTENCES)).map((t) => t.ids.length);
  });

  after(async () => {
    await runtime?.close();
    await extractor?.dispose();
  });

  it('matches transformers.js (mean pooling, normalize) with cosine ≥ 0.99999 for every text within the limit', async () => {
    const worst: { index: number; cos: number }[] = [];
    let compared = 0;
    for (let i = 0; i < VARIED_SENTENCES.length; i++) {
      if (tokenCounts[i]! >= 256) continue;
      compared++;
      const reference = (await extractor(VARIED_SENTENCES[i]!, { pooling: 'mean', normalize: true })).data as Float32Array;
      const cos = cosine(ours[i]!, reference);
      if (cos < 0.99999) worst.push({ index: i, cos });
    }

    expect(worst).to.deep.equal([]);
    // A fixture that shrank would make this pass on too little: the claim is about 200+ texts.
    expect(compared, 'texts compared').to.be.at.least(200);
  });

  it('truncates long texts like sentence-transformers: 256 word pieces ending in [SEP]', async () => {
    const longIndexes = tokenCounts.flatMap((n, i) => (n === 256 ? [i] : []));
    expect(longIndexes.length, 'long texts in the fixture').to.be.at.least(3);
    const tokens = await tokenizer.tokenize(longIndexes.map((i) => VARIED_SENTENCES[i]!));

    for (const { ids } of tokens) {
      expect(ids[0]).to.equal(101);
      expect(ids[ids.length - 1]).to.equal(102);
    }
  });

  it('differs from transformers.js on long texts only by its dropped final [SEP], and matches it on our tokens', async () => {
    // transformers.js truncates at model_max_length (512) and, when asked for 256, drops the
    // final [SEP]; sentence-transformers keeps [CLS] … [SEP] within max_seq_length 256, as we do.
    const { tokenizer: theirTokenizer, model } = extractor;
    const longIndexes = tokenCounts.flatMap((n, i) => (n === 256 ? [i] : []));
    const ourTokens = await tokenizer.tokenize(longIndexes.map((i) => VARIED_SENTENCES[i]!));
    for (const [k, index] of longIndexes.entries()) {
      const theirs = theirTokenizer(VARIED_SENTENCES[index]!, { truncation: true, max_length: 256 });
      const theirIds = Array.from(theirs.input_ids.data as BigInt64Array, Number);
      const ourIds = Array.from(ourTokens[k]!.ids);
      expect(theirIds.slice(0, 255), `text ${index}`).to.deep.equal(ourIds.slice(0, 255));

      const ours64 = BigInt64Array.from(ourIds, BigInt);
      const inputs = { input_ids: new Tensor('int64', ours64, [1, 256]), attention_mask: new Tensor('int64', new BigInt64Array(256).fill(1n), [1, 256]), token_type_ids: new Tensor('int64', new BigInt64Array(256), [1, 256]) };
      const reference = normalize(meanPool((await model(inputs)).last_hidden_state.data as Float32Array, 256, 384));
      expect(cosine(ours[index]!, reference), `text ${index}`).to.be.at.least(0.99999);
    }
  });
});

function meanPool(hidden: Float32Array, tokens: number, dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (let t = 0; t < tokens; t++) for (let d = 0; d < dim; d++) out[d]! += hidden[t * dim + d]! / tokens;
  return out;
}

function normalize(v: Float32Array): Float32Array {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
