import { expect } from 'chai';
import { EmbedlineError } from '../../../../core/errors.js';
import { parseCalibration, type Calibration } from '../../../../core/precision/calibration.js';
import { precisionConfigSchema } from '../../../../plugins/precision/config.js';
import { PrecisionRouter } from '../../../../plugins/precision/PrecisionRouter.js';

const dims = 4;
const calibration: Calibration = parseCalibration({
  version: 1,
  model: 'm',
  modelSha256: '0'.repeat(64),
  variant: 'fp32',
  dimensions: dims,
  quantiles: { lower: 0.001, upper: 0.999 },
  corpus: { description: 'unit', texts: 10_000, sha256: 'x' },
  createdAt: '2026-12-02T00:00:00.000Z',
  ranges: { min: [-1, -1, -1, -1], max: [1, 1, 1, 1] },
});

describe('precision plugin config and router', () => {
  it('defaults to the documented table and critical fp32, normal int16, background int8', () => {
    const router = new PrecisionRouter(precisionConfigSchema.parse({}), calibration);
    expect(router.names).to.deep.equal(['fp32', 'float16', 'int16', 'int8', 'uint8', 'binary', 'ubinary']);
    expect(router.resolve(undefined, 'critical')).to.deep.include({ variant: 'fp32', format: 'float32' });
    expect(router.resolve(undefined, 'normal')).to.deep.include({ variant: 'fp32', format: 'int16' });
    expect(router.resolve(undefined, 'background')).to.deep.include({ variant: 'int8', format: 'int8' });
  });

  it('rejects a priority mapped to a precision the table lacks, naming the path and the valid names', () => {
    const parsed = precisionConfigSchema.safeParse({ priorities: { background: 'int4' } });
    expect(parsed.success).to.equal(false);
    expect(parsed.error!.issues[0]!.path).to.deep.equal(['priorities', 'background']);
    expect(parsed.error!.issues[0]!.message).to.include('fp32, float16');
  });

  it('refuses to start on calibrated formats when the model has no calibration, naming the command', () => {
    expect(() => new PrecisionRouter(precisionConfigSchema.parse({}), undefined)).to.throw(EmbedlineError, /embedline model calibrate/);
  });

  it('starts without a calibration when the table holds only uncalibrated formats', () => {
    const config = precisionConfigSchema.parse({ precisions: { fp32: { variant: 'fp32', format: 'float32' }, bits: { variant: 'int8', format: 'ubinary' } }, priorities: { normal: 'bits', background: 'bits' } });
    const router = new PrecisionRouter(config, undefined);
    expect(router.resolve(undefined, 'normal')).to.deep.equal({ name: 'bits', variant: 'int8', format: 'ubinary' });
    expect(router.format(Float32Array.of(1, -1, 1, -1), router.resolve('bits', 'normal')).data).to.deep.equal(Uint8Array.of(0b1010_0000));
  });

  it('quantizes with the calibrated ranges and dequantizes back within half a level', () => {
    const router = new PrecisionRouter(precisionConfigSchema.parse({}), calibration);
    const vector = Float32Array.of(0.5, -0.25, 1, -1);
    const back = router.dequantize(router.format(vector, router.resolve('int8', 'normal')));
    vector.forEach((x, d) => expect(Math.abs(back[d]! - x)).to.be.at.most(1 / 255 + 1e-7));
  });

  it('answers an unknown name with EMBEDLINE_UNKNOWN_PRECISION listing the valid ones', () => {
    const router = new PrecisionRouter(precisionConfigSchema.parse({}), calibration);
    expect(() => router.resolve('fp8', 'normal')).to.throw(EmbedlineError, 'valid precisions: fp32, float16, int16, int8, uint8, binary, ubinary');
  });
});
