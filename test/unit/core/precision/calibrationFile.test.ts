import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALIBRATION_FILE, quantileRanges } from '../../../../core/precision/calibration.js';
import { buildCalibration, readCalibration, writeCalibration } from '../../../../core/precision/calibrationFile.js';

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

  it('returns undefined when the model has no calibration', async () => {
    expect(await readCalibration(dir)).to.equal(undefined);
  });
});
