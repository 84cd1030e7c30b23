import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALIBRATION_FILE, CALIBRATION_VERSION, quantileRanges } from '../../../../core/precision/calibration.js';
import { buildCalibration, readCalibration, writeCalibration } from '../../../../core/precision/calibrationFile.js';
import { dequantize, quantize } from '../../../../core/precision/quantize.js';

/** Deterministic heavy-tailed values (a few large outliers per dimension), as real embedding dimensions have. */
function heavyTailed(n: number, dims: number): Float32Array[] {
  let seed = 7;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: n }, () => Float32Array.from({ length: dims }, () => next() ** 5 * 0.3));
}

function rmsError(format: 'int16' | 'int8', sample: readonly Float32Array[], ranges: Parameters<typeof quantize>[2]): number {
  let sum = 0;
  let count = 0;
  for (const v of sample) {
    const back = dequantize(quantize(v, format, ranges), ranges);
    for (let d = 0; d < v.length; d++) (sum += (back[d]! - v[d]!) ** 2), count++;
  }
  return Math.sqrt(sum / count);
}

const SHA = 'a'.repeat(64);
const vectors = Array.from({ length: 1001 }, (_, i) => Float32Array.from([i / 1000, -i / 1000]));
const texts = vectors.map((_, i) => `text ${i}`);

describe('calibration file', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'calib-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('takes each dimension\'s quantiles, not its raw min and max', () => {
    const { min, max } = quantileRanges(vectors, 2, { lower: 0.01, upper: 0.99 });
    expect(min[0]).to.be.closeTo(0.01, 1e-6);
    expect(max[0]).to.be.closeTo(0.99, 1e-6);
    expect(min[1]).to.be.closeTo(-0.99, 1e-6);
  });

  it('refuses fewer than 10,000 texts by default', () => {
    expect(() => buildCalibration({ model: 'm', modelSha256: SHA, variant: 'fp32', texts, vectors, corpusDescription: 'x' })).to.throw(/at least 10000/);
  });

  it('reads back what it wrote for the same model file', async () => {
    const written = buildCalibration({ model: 'm', modelSha256: SHA, variant: 'fp32', texts, vectors, corpusDescription: 'x', minTexts: 2 });
    await writeCalibration(dir, written);
    expect(await readCalibration(dir, SHA)).to.deep.equal(written);
  });

  it('refuses a calibration measured on another model file', async () => {
    await writeCalibration(dir, buildCalibration({ model: 'm', modelSha256: SHA, variant: 'fp32', texts, vectors, corpusDescription: 'x', minTexts: 2 }));
    await readCalibration(dir, 'b'.repeat(64)).then(
      () => expect.fail('should refuse'),
      (error: Error) => expect(error.message).to.match(/another model file/),
    );
  });

  it('refuses a file of another version', async () => {
    await writeFile(join(dir, CALIBRATION_FILE), JSON.stringify({ version: 99 }));
    await readCalibration(dir).then(() => expect.fail('should refuse'), (error: Error) => expect(error.message).to.match(/calibrate/));
  });

  it('gives int16 its own full range: far more precise than int8 where int8 clips the tails', () => {
    const corpus = heavyTailed(2000, 16);
    const held = heavyTailed(2500, 16).slice(2000);
    const calibration = buildCalibration({ model: 'm', modelSha256: SHA, variant: 'fp32', texts: corpus.map((_, i) => `t${i}`), vectors: corpus, corpusDescription: 'x', minTexts: 2 });
    expect(calibration.version).to.equal(CALIBRATION_VERSION);
    const int16 = calibration.ranges.int16!;
    for (let d = 0; d < 16; d++) expect(int16.max[d]! - int16.min[d]!).to.be.greaterThan(calibration.ranges.max[d]! - calibration.ranges.min[d]!);
    const int16Error = rmsError('int16', held, calibration.ranges);
    const sharedError = rmsError('int16', held, { min: calibration.ranges.min, max: calibration.ranges.max });
    // Clipping the 0.1% tails dominates int16's error when it shares int8's ranges.
    expect(int16Error).to.be.lessThan(sharedError / 10);
    expect(int16Error).to.be.lessThan(rmsError('int8', held, calibration.ranges) / 50);
  });

  it('still reads a version-1 file, whose int16 uses the shared ranges it was written with', async () => {
    const v1 = { version: 1, model: 'm', modelSha256: SHA, variant: 'fp32', dimensions: 2, quantiles: { lower: 0, upper: 1 }, corpus: { description: 'x', texts: 2, sha256: 'x' }, createdAt: 'now', ranges: { min: [-1, -1], max: [1, 1] } };
    await writeFile(join(dir, CALIBRATION_FILE), JSON.stringify(v1));
    const read = (await readCalibration(dir, SHA))!;
    expect(read.ranges.int16).to.equal(undefined);
    expect(Array.from(quantize(Float32Array.from([1, -1]), 'int16', read.ranges).data)).to.deep.equal([32_767, -32_768]);
  });

  it('refuses a version-2 file without int16 ranges', async () => {
    const written = buildCalibration({ model: 'm', modelSha256: SHA, variant: 'fp32', texts, vectors, corpusDescription: 'x', minTexts: 2 });
    await writeFile(join(dir, CALIBRATION_FILE), JSON.stringify({ ...written, ranges: { min: written.ranges.min, max: written.ranges.max } }));
    await readCalibration(dir).then(() => expect.fail('should refuse'), (error: Error) => expect(error.message).to.match(/ranges\.int16/));
  });

  it('returns undefined when the model has no calibration', async () => {
    expect(await readCalibration(dir)).to.equal(undefined);
  });
});
