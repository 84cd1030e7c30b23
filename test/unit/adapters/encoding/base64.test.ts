import { expect } from 'chai';
import { fromBase64, toBase64 } from '../../../../adapters/encoding/base64.js';

describe('base64 vector encoding', () => {
  it('encodes float32 1.0 as the base64 of its little-endian bytes 00 00 80 3f', () => {
    expect(toBase64(Float32Array.of(1))).to.equal(Buffer.from([0x00, 0x00, 0x80, 0x3f]).toString('base64'));
  });

  it('decodes, with an independent little-endian reader, to the values encoded', () => {
    const vector = Float32Array.from({ length: 384 }, (_, i) => Math.cos(i) / 3);

    const bytes = Buffer.from(toBase64(vector), 'base64');

    expect(bytes.length).to.equal(384 * 4);
    expect(Float32Array.from({ length: 384 }, (_, i) => bytes.readFloatLE(i * 4))).to.deep.equal(vector);
  });

  it('round-trips through fromBase64', () => {
    const vector = Float32Array.of(-0.03125, 0.5, 1e-30, -7);

    expect(fromBase64(toBase64(vector))).to.deep.equal(vector);
  });
});
