import { expect } from 'chai';
import { meanPoolNormalize } from '../../../../core/encoder/meanPool.js';

describe('meanPoolNormalize', () => {
  it('averages only the unmasked positions of each row, then normalizes', () => {
    // 2 rows × seqLen 3 × dim 2; row 0 has 2 real tokens, row 1 has 3.
    const hidden = Float32Array.from([1, 0, 3, 0, 99, 99, 0, 1, 0, 2, 0, 3]);

    const out = meanPoolNormalize(hidden, [2, 3], 3, 2);

    expect(Array.from(out)).to.deep.equal([1, 0, 0, 1]);
  });

  it('returns unit vectors for arbitrary inputs', () => {
    const hidden = Float32Array.from({ length: 4 * 5 * 8 }, (_, i) => Math.sin(i));

    const out = meanPoolNormalize(hidden, [5, 1, 3, 4], 5, 8);

    for (let r = 0; r < 4; r++) {
      const norm = Math.hypot(...out.subarray(r * 8, r * 8 + 8));
      expect(norm).to.be.closeTo(1, 1e-6);
    }
  });

  it('does not divide by zero for an all-zero row', () => {
    const out = meanPoolNormalize(new Float32Array(6), [3], 3, 2);

    expect(Array.from(out)).to.deep.equal([0, 0]);
  });
});
