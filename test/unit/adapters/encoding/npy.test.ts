import { expect } from 'chai';
import { npyFile, npyHeader, npyRow } from '../../../../adapters/encoding/npy.js';
import { vectorFormat } from '../../../../adapters/encoding/vectorFormats.js';
import { float32Rows, readNpy } from './npyReader.js';

const f32 = vectorFormat('float32');

describe('npy encoding', () => {
  it('writes a version 1.0 header with descr <f4, fortran_order False and the (rows, dims) shape', () => {
    const parsed = readNpy(npyHeader(f32, [3, 384]));

    expect(parsed.version).to.deep.equal([1, 0]);
    expect([parsed.descr, parsed.fortranOrder, parsed.shape]).to.deep.equal(['<f4', false, [3, 384]]);
  });

  it('pads the header with spaces and a final newline so the data starts on a 64-byte boundary', () => {
    for (const shape of [[0, 0], [1, 4], [12345, 384], [7]]) {
      const header = npyHeader(f32, shape);
      const parsed = readNpy(header);

      expect(parsed.dataOffset % 64, String(shape)).to.equal(0);
      expect(parsed.dataOffset, String(shape)).to.equal(header.length);
      expect(parsed.headerText.endsWith('\n'), String(shape)).to.equal(true);
      expect(parsed.headerText.trimEnd(), String(shape)).to.match(/^\{.*\}$/);
    }
  });

  it('writes a one-dimensional shape as a one-element Python tuple', () => {
    expect(readNpy(npyHeader(f32, [7])).headerText).to.contain("'shape': (7,)");
  });

  it('writes a file whose rows read back as the little-endian float32 values, in order', () => {
    const rows = [Float32Array.of(0.5, -1.25, 3), Float32Array.of(1e-7, 42, -0)];

    const parsed = readNpy(npyFile(f32, rows));

    expect(parsed.shape).to.deep.equal([2, 3]);
    expect(parsed.data.length).to.equal(2 * 3 * 4);
    expect(float32Rows(parsed)).to.deep.equal(rows.map((r) => Array.from(r)));
  });

  it('gives a row exactly the bytes the file holds for it, so streamed rows and whole files agree', () => {
    const rows = [Float32Array.of(1, 2), Float32Array.of(3, 4)];

    const streamed = Buffer.concat([npyHeader(f32, [2, 2]), npyRow(f32, rows[0]!), npyRow(f32, rows[1]!)]);

    expect(streamed.equals(npyFile(f32, rows))).to.equal(true);
  });

  it('writes an empty list as a (0, 0) array with no data', () => {
    const parsed = readNpy(npyFile(f32, []));

    expect([parsed.shape, parsed.data.length]).to.deep.equal([[0, 0], 0]);
  });

  it('refuses rows of different lengths, naming the row', () => {
    expect(() => npyFile(f32, [Float32Array.of(1, 2), Float32Array.of(1)])).to.throw(RangeError, 'row 1 has 1');
  });
});
