import { expect } from 'chai';
import { NgramSketcher } from '../../../../../plugins/cache/neardup/NgramSketcher.js';
import { simulateNearDuplicates, type StreamText } from '../../../../../plugins/cache/neardup/simulateNearDuplicates.js';
import { compareIds } from '../../../../../plugins/cache/redis/NearDuplicateStream.js';

const unit = (...xs: number[]): Float32Array => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs, (x) => x / n);
};
const item = (text: string, ids: number[], vector: Float32Array): StreamText => ({ text, ids: Int32Array.from(ids), window: text.toLowerCase(), vector });

describe('near-duplicate replay (the calibration run)', () => {
  const stream = [
    item('the gnu c library development files', [1, 2], unit(1, 0)),
    item('the gnu c library development files', [1, 2], unit(1, 0)),
    item('The GNU C library development files', [1, 2], unit(1, 0)),
    item('the gnu c library development file', [1, 3], unit(1, 1)),
    item('a terminal emulator for x', [4], unit(0, 1)),
  ];

  it('counts text-key and token-key hits and, per τ, the near hits and the cosine they serve', () => {
    const result = simulateNearDuplicates(new NgramSketcher(5, 256), stream, [0.5, 0.99], { k: 2 });

    expect(result).to.deep.include({ texts: 5, textHits: 1, tokenHits: 1 });
    const [loose, strict] = result.rows;
    expect(loose!.hits).to.equal(1);
    expect(loose!.hitRateGain).to.equal(0.2);
    expect(loose!.cosine!.mean).to.be.closeTo(Math.SQRT1_2, 1e-6);
    expect(loose!.cosine!.p1).to.be.closeTo(Math.SQRT1_2, 1e-6);
    expect(strict).to.deep.equal({ threshold: 0.99, hits: 0, hitRateGain: 0, cosine: null });
  });

  it('orders Redis stream ids numerically', () => {
    expect(compareIds('1700000000000-2', '1700000000000-10')).to.equal(-1);
    expect(compareIds('999-0', '1000-0')).to.equal(-1);
    expect(compareIds('5-5', '5-5')).to.equal(0);
  });
});
