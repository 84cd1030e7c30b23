import { expect } from 'chai';
import { FORMAT_LAYOUT, VECTOR_FORMATS } from '../../../../core/precision/formats.js';
import { fromHalf, toHalf } from '../../../../core/precision/float16.js';
import { dequantize, fromLittleEndianBytes, packSignBits, quantize, toJsonValues, toLittleEndianBytes } from '../../../../core/precision/quantize.js';

const ranges = { min: [-1, -0.5, 0, -0.2], max: [1, 0.5, 1, 0.2] };
const vector = Float32Array.from([0.3, -0.6, 0.25, 0.1]);

describe('vector formats', () => {
  it('packs sign bits first dimension in the most significant bit, as numpy.packbits', () => {
    const bits = packSignBits(Float32Array.from([1, -1, 1, 1, -1, -1, -1, 1, 1]));
    expect(Array.from(bits)).to.deep.equal([0b10110001, 0b10000000]);
  });

  it('shifts binary by -128 into int8 and leaves ubinary unsigned', () => {
    const v = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(quantize(v, 'ubinary').data)).to.deep.equal([255]);
    expect(Array.from(quantize(v, 'binary').data)).to.deep.equal([127]);
  });

  it('clamps values outside the calibrated range to the end levels', () => {
    const q = quantize(vector, 'int8', ranges);
    expect(q.data[1]).to.equal(-128);
    expect(Array.from(quantize(vector, 'uint8', ranges).data)[1]).to.equal(0);
  });

  it('rounds float16 to nearest even and reads it back', () => {
    expect(fromHalf(toHalf(1))).to.equal(1);
    expect(fromHalf(toHalf(0.1))).to.equal(0.0999755859375);
    expect(fromHalf(toHalf(65520))).to.equal(Number.POSITIVE_INFINITY);
    expect(fromHalf(toHalf(1e-7))).to.be.closeTo(1e-7, 3e-8);
  });

  for (const format of VECTOR_FORMATS) {
    it(`round-trips ${format} through its little-endian bytes`, () => {
      const q = quantize(vector, format, ranges);
      const bytes = toLittleEndianBytes(q);
      expect(bytes.byteLength).to.equal(FORMAT_LAYOUT[format].bytes(4));
      const back = fromLittleEndianBytes(bytes, format, 4);
      expect(Array.from(back.data)).to.deep.equal(Array.from(q.data));
      expect(Array.from(dequantize(back, ranges))).to.deep.equal(Array.from(dequantize(q, ranges)));
    });
  }

  it('gives JSON integers for the integer formats', () => {
    for (const format of VECTOR_FORMATS.filter((f) => FORMAT_LAYOUT[f].integer)) {
      expect(toJsonValues(quantize(vector, format, ranges)).every(Number.isInteger), format).to.equal(true);
    }
  });

  it('refuses a calibrated format without ranges', () => {
    expect(() => quantize(vector, 'int16')).to.throw(RangeError, /calibrate/);
  });
});
