import { expect } from 'chai';
import { estimateBatchBytes, maxRowsWithin } from '../../../../plugins/memory-aware-batcher/memoryEstimate.js';
import { parseModelDimensions, readModelDimensions } from '../../../../plugins/memory-aware-batcher/modelDimensions.js';
import type { EmbedlineError } from '../../../../core/errors.js';
import { realModel } from '../../../support/model.js';

const MINILM = { hiddenSize: 384, layers: 6, heads: 12, intermediateSize: 1536 };

describe('memory-aware-batcher estimate', () => {
  it('reads hidden size, layers, heads and intermediate size from the real model\'s config.json', async () => {
    const dims = await readModelDimensions((await realModel()).dir);

    expect(dims).to.deep.equal(MINILM);
  });

  it('names the config.json field that is missing', () => {
    const error = (() => {
      try {
        parseModelDimensions({ hidden_size: 384, num_hidden_layers: 6, intermediate_size: 1536 }, '/m/config.json');
      } catch (e) {
        return e as EmbedlineError;
      }
    })();

    expect(error?.code).to.equal('EMBEDLINE_MODEL_NOT_FOUND');
    expect(error?.message).to.contain('num_attention_heads').and.to.contain('/m/config.json');
  });

  it('grows linearly with rows at a fixed length', () => {
    expect(estimateBatchBytes(MINILM, 32, 128, 4)).to.equal(2 * estimateBatchBytes(MINILM, 16, 128, 4));
  });

  it('grows faster than length for long texts, from the rows x heads x len^2 attention term', () => {
    const at256 = estimateBatchBytes(MINILM, 8, 256, 4);
    const at512 = estimateBatchBytes(MINILM, 8, 512, 4);

    expect(at512 / at256).to.be.above(2.4);
    // What doubling the length adds beyond doubling: the scores, 8 rows x 12 heads x len^2 x 4 bytes.
    expect(at512 - 2 * at256).to.equal(8 * 12 * 4 * (512 * 512 - 2 * 256 * 256));
  });

  it('fits as many rows as the budget holds', () => {
    const budget = estimateBatchBytes(MINILM, 10, 200, 4);

    expect(maxRowsWithin(MINILM, 200, budget, 4)).to.equal(10);
    expect(maxRowsWithin(MINILM, 200, budget - 1, 4)).to.equal(9);
  });
});
