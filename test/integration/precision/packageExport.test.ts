import { expect } from 'chai';
import { quantize } from '../../../core/precision/quantize.js';
import { runCli } from '../../support/cli.js';

/** A specifier TypeScript does not resolve, so the import goes through package.json `exports` as a client's would. */
const PUBLIC_MODULE = ['embedline', 'precision'].join('/');

describe('the package\'s public precision module (package.json exports)', () => {
  it('exports decodeVector, which turns served int8 bytes back into the vector within half a level', async () => {
    const { decodeVector, toLittleEndianBytes } = (await import(PUBLIC_MODULE)) as typeof import('../../../core/precision/index.js');
    const ranges = { min: [-1, -1, -1], max: [1, 1, 1] };
    const vector = Float32Array.of(0.3, -0.7, 0.05);
    const back = decodeVector(toLittleEndianBytes(quantize(vector, 'int8', ranges)), 'int8', 3, ranges);
    vector.forEach((x, d) => expect(Math.abs(back[d]! - x)).to.be.at.most(1 / 255));
  });

  it('keeps the embedline binary working', async () => {
    const result = await runCli(['--help']);
    expect([result.code, result.stdout.includes('embed')]).to.deep.equal([0, true]);
  });
});
