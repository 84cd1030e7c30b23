import { expect } from 'chai';
import { meanPoolNormalize } from '../../../../core/encoder/meanPool.js';
import { poolVectors } from '../../../../core/encoder/pooling.js';

/** Two rows, seqLen 3, dim 2; row 0 has 3 real tokens, row 1 has 2 (its third position is padding). */
const HIDDEN = Float32Array.from([
  1, 2, /**/ 3, -4, /**/ 5, 0, //
  -1, 6, /**/ 2, 2, /**/ 100, 100,
]);
const LENGTHS = [3, 2];

function rows(v: Float32Array): number[][] {
  return [Array.from(v.subarray(0, 2)), Array.from(v.subarray(2, 4))];
}

describe('poolVectors (the model definition\'s pooling)', () => {
  it('cls takes each row\'s first token', () => {
    expect(rows(poolVectors(HIDDEN, LENGTHS, 3, 2, { mode: 'cls', normalize: false }))).to.deep.equal([[1, 2], [-1, 6]]);
  });

  it('lasttoken takes the last real token, never padding', () => {
    expect(rows(poolVectors(HIDDEN, LENGTHS, 3, 2, { mode: 'lasttoken', normalize: false }))).to.deep.equal([[5, 0], [2, 2]]);
  });

  it('max takes the per-dimension maximum over real tokens only', () => {
    expect(rows(poolVectors(HIDDEN, LENGTHS, 3, 2, { mode: 'max', normalize: false }))).to.deep.equal([[5, 2], [2, 6]]);
  });

  it('mean without Normalize averages real tokens', () => {
    expect(rows(poolVectors(HIDDEN, LENGTHS, 3, 2, { mode: 'mean', normalize: false }))).to.deep.equal([[3, -2 / 3].map(Math.fround), [0.5, 4]]);
  });

  it('normalize scales each pooled row to unit length', () => {
    const [a, b] = rows(poolVectors(HIDDEN, LENGTHS, 3, 2, { mode: 'cls', normalize: true }));
    expect(a![0]).to.be.closeTo(1 / Math.sqrt(5), 1e-7);
    expect(Math.hypot(...b!)).to.be.closeTo(1, 1e-6);
  });

  it('mean + normalize is exactly the dedicated hot path (MiniLM, e5)', () => {
    expect(poolVectors(HIDDEN, LENGTHS, 3, 2, { mode: 'mean', normalize: true })).to.deep.equal(meanPoolNormalize(HIDDEN, LENGTHS, 3, 2));
  });
});
