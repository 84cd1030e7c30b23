import { expect } from 'chai';
import { fromBase64, npyFile, quantizedToBase64, quantizedToJson, vectorFormat, VECTOR_FORMAT_ENCODINGS } from '../../../../adapters/encoding/index.js';
import { VECTOR_FORMATS } from '../../../../core/precision/formats.js';
import { quantize } from '../../../../core/precision/quantize.js';
import { readNpy } from './npyReader.js';

const ranges = { min: [-1, -1, -1, -1, -1, -1, -1, -1, -1], max: [1, 1, 1, 1, 1, 1, 1, 1, 1] };
const vector = Float32Array.of(0.5, -0.25, 1, -1, 0, 0.1, -0.1, 0.75, -0.75);

describe('quantized vector formats at the edges', () => {
  it('registers every core/precision format', () => {
    expect(Object.keys(VECTOR_FORMAT_ENCODINGS).sort()).to.deep.equal([...VECTOR_FORMATS].sort());
  });

  for (const format of VECTOR_FORMATS) {
    it(`round-trips ${format} through base64 bit for bit`, () => {
      const q = quantize(vector, format, ranges);
      const back = fromBase64(quantizedToBase64(q), vectorFormat(format));
      expect(Array.from(back)).to.deep.equal(Array.from(q.data));
    });
  }

  it('writes int8 as the signed bytes in order (little-endian is byte order for one byte)', () => {
    const q = { format: 'int8' as const, dimensions: 3, data: Int8Array.of(-1, 2, -128) };
    expect(Buffer.from(quantizedToBase64(q), 'base64')).to.deep.equal(Buffer.from([0xff, 0x02, 0x80]));
  });

  it('writes int16 little-endian, low byte first', () => {
    const q = { format: 'int16' as const, dimensions: 2, data: Int16Array.of(0x0102, -2) };
    expect(Buffer.from(quantizedToBase64(q), 'base64')).to.deep.equal(Buffer.from([0x02, 0x01, 0xfe, 0xff]));
  });

  it('gives JSON integers for the integer formats and the half values for float16', () => {
    for (const format of ['int16', 'int8', 'uint8', 'binary', 'ubinary'] as const) {
      expect(quantizedToJson(quantize(vector, format, ranges)).every(Number.isInteger), format).to.equal(true);
    }
    expect(quantizedToJson(quantize(vector, 'float16'))).to.deep.equal([0.5, -0.25, 1, -1, 0, 0.0999755859375, -0.0999755859375, 0.75, -0.75]);
  });

  it('packs 9 binary dimensions into 2 bytes, first dimension in the high bit', () => {
    // Signs: + - + - 0 + - + - -> bits 1010 0101 | 0000 0000 (0 is not > 0)
    expect(quantizedToJson(quantize(vector, 'ubinary'))).to.deep.equal([0b1010_0101, 0]);
    expect(quantizedToJson(quantize(vector, 'binary'))).to.deep.equal([0b1010_0101 - 128, -128]);
  });

  const dtypes = { float32: '<f4', float16: '<f2', int16: '<i2', int8: '|i1', uint8: '|u1', binary: '|i1', ubinary: '|u1' } as const;
  for (const format of VECTOR_FORMATS) {
    it(`writes ${format} .npy files with dtype ${dtypes[format]} and (rows, elements) shape`, () => {
      const rows = [quantize(vector, format, ranges), quantize(vector.map((x) => -x), format, ranges)];
      const npy = readNpy(npyFile(vectorFormat(format), rows.map((r) => r.data)));
      const elements = format === 'binary' || format === 'ubinary' ? 2 : 9;
      expect([npy.descr, npy.shape, npy.data.length]).to.deep.equal([dtypes[format], [2, elements], 2 * rows[0]!.data.byteLength]);
    });
  }
});
