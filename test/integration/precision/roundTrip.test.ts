import { expect } from 'chai';
import { buildCalibration } from '../../../core/precision/calibrationFile.js';
import { VECTOR_FORMATS, type VectorFormat } from '../../../core/precision/formats.js';
import { dequantize, quantize, type QuantizationRanges } from '../../../core/precision/quantize.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { cosine, embedTexts, startRealRuntime } from '../../support/model.js';

/** Worst per-dimension error allowed inside the calibrated range: half a level, plus float slack. */
const HALF_LEVEL: Partial<Record<VectorFormat, number>> = { int16: 0.5 / 65_535, int8: 0.5 / 255, uint8: 0.5 / 255 };
/** Lowest cosine to the fp32 vector each format keeps on real model output. */
const MIN_COSINE: Record<VectorFormat, number> = { float32: 1, float16: 0.99999, int16: 0.99999, int8: 0.99, uint8: 0.99, binary: 0.7, ubinary: 0.7 };

describe('precision formats on real model vectors', function () {
  this.timeout(120_000);
  let vectors: Float32Array[];
  let ranges: QuantizationRanges;

  before(async () => {
    const runtime = await startRealRuntime();
    try {
      vectors = await embedTexts(runtime, VARIED_SENTENCES);
    } finally {
      await runtime.close();
    }
    // Raw min/max (quantiles 0 and 1) so every test vector lies inside its range.
    ranges = buildCalibration({ model: 'm', modelSha256: '0'.repeat(64), variant: 'fp32', texts: VARIED_SENTENCES, vectors, corpusDescription: 'fixtures', quantiles: { lower: 0, upper: 1 }, minTexts: 2 }).ranges;
  });

  for (const format of ['int16', 'int8', 'uint8'] as const) {
    it(`keeps every ${format} dimension within half a level of the fp32 value`, () => {
      for (const v of vectors) {
        const back = dequantize(quantize(v, format, ranges), ranges);
        for (let d = 0; d < v.length; d++) {
          // int16 maps onto its own, wider range (calibration version 2).
          const pair = format === 'int16' ? ranges.int16! : ranges;
          const width = pair.max[d]! - pair.min[d]!;
          expect(Math.abs(back[d]! - v[d]!)).to.be.at.most(HALF_LEVEL[format]! * width * 1.0001 + 1e-7);
        }
      }
    });
  }

  it('keeps float16 within its relative rounding error (2^-11)', () => {
    for (const v of vectors) {
      const back = dequantize(quantize(v, 'float16'));
      v.forEach((x, d) => expect(Math.abs(back[d]! - x)).to.be.at.most(Math.abs(x) * 2 ** -11 + 2 ** -25));
    }
  });

  for (const format of VECTOR_FORMATS) {
    it(`keeps ${format} vectors at cosine ≥ ${MIN_COSINE[format]} to fp32`, () => {
      const worst = Math.min(...vectors.map((v) => cosine(v, dequantize(quantize(v, format, ranges), ranges))));
      expect(worst).to.be.at.least(MIN_COSINE[format] - 1e-6);
    });
  }
});
