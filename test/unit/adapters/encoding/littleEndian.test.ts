import { expect } from 'chai';
import { fromLittleEndianBytes, toLittleEndianBytes } from '../../../../adapters/encoding/littleEndian.js';
import { vectorFormat } from '../../../../adapters/encoding/vectorFormats.js';

const f32 = vectorFormat('float32');
/** IEEE 754 single precision, least significant byte first: 1.0, -2.0, 0.1. */
const EXPECTED_HEX = '0000803f' + '000000c0' + 'cdcccc3d';

describe('little-endian element bytes', () => {
  it('lays float32 elements out least significant byte first', () => {
    expect(toLittleEndianBytes(f32, Float32Array.of(1, -2, 0.1)).toString('hex')).to.equal(EXPECTED_HEX);
  });

  it('writes the same bytes through the per-element path a big-endian host takes', () => {
    expect(toLittleEndianBytes(f32, Float32Array.of(1, -2, 0.1), false).toString('hex')).to.equal(EXPECTED_HEX);
  });

  it('encodes only the elements of a view into a larger buffer', () => {
    const backing = Float32Array.of(9, 1, -2, 0.1, 9);

    expect(toLittleEndianBytes(f32, backing.subarray(1, 4)).toString('hex')).to.equal(EXPECTED_HEX);
  });

  it('returns a copy, so later writes to the vector do not change encoded bytes', () => {
    const vector = Float32Array.of(1);
    const bytes = toLittleEndianBytes(f32, vector);

    vector[0] = 5;

    expect(bytes.toString('hex')).to.equal('0000803f');
  });

  it('reads the bytes back to the same float32 values', () => {
    const vector = Float32Array.from({ length: 384 }, (_, i) => Math.sin(i) / 7);

    expect(fromLittleEndianBytes(f32, toLittleEndianBytes(f32, vector))).to.deep.equal(vector);
  });

  it('reads from a byte view at an odd offset into a larger buffer', () => {
    const padded = Buffer.concat([Buffer.from([0xff]), Buffer.from(EXPECTED_HEX, 'hex')]);

    expect(Array.from(fromLittleEndianBytes(f32, padded.subarray(1)))).to.deep.equal([1, -2, Math.fround(0.1)]);
  });

  it('refuses a byte count that is not a whole number of elements', () => {
    expect(() => fromLittleEndianBytes(f32, new Uint8Array(6))).to.throw(RangeError, '6 bytes');
  });
});
