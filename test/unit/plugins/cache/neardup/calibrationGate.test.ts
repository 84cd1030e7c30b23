import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedlineError } from '../../../../../core/errors.js';
import { CALIBRATION_KIND, checkNearDuplicateCalibration, type NearDuplicateCalibration } from '../../../../../plugins/cache/neardup/calibrationFile.js';
import { nearDuplicateConfigSchema, type NearDuplicateConfig } from '../../../../../plugins/cache/neardup/nearDuplicateConfig.js';

const scope = { model: 'all-MiniLM-L6-v2', variant: 'fp32', truncation: 256, sketch: 'ngram:n=5:d=256' };

function calibration(p1: number, hits = 500): NearDuplicateCalibration {
  return {
    kind: CALIBRATION_KIND,
    version: 1,
    ...scope,
    k: 4,
    corpus: 'traffic.txt',
    createdAt: '2026-12-02T00:00:00Z',
    texts: 10_000,
    textHits: 6_000,
    tokenHits: 100,
    rows: [
      { threshold: 0.9, hits: hits * 2, hitRateGain: (hits * 2) / 10_000, cosine: { mean: 0.95, p1: p1 - 0.1, min: p1 - 0.2 } },
      { threshold: 0.95, hits, hitRateGain: hits / 10_000, cosine: { mean: 0.995, p1, min: p1 - 0.05 } },
    ],
  };
}

async function file(content: unknown): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'embedline-near-')), 'calibration.json');
  await writeFile(path, JSON.stringify(content));
  return path;
}

const config = (over: Record<string, unknown>): NearDuplicateConfig => nearDuplicateConfigSchema.parse({ enabled: true, threshold: 0.95, ...over });

async function refusal(c: NearDuplicateConfig, running = scope): Promise<string> {
  try {
    await checkNearDuplicateCalibration(c, running);
  } catch (error) {
    expect(isEmbedlineError(error) && error.code).to.equal('EMBEDLINE_CONFIG');
    return (error as Error).message;
  }
  throw new Error('expected the tier to be refused');
}

describe('near-duplicate safety gate', () => {
  it('is off by default, and refuses critical among the priorities it serves', () => {
    expect(nearDuplicateConfigSchema.parse({}).enabled).to.equal(false);
    expect(nearDuplicateConfigSchema.safeParse({ priorities: ['critical'] }).success).to.equal(false);
  });

  it('refuses to enable the tier without an error bound and a calibration file, naming both', async () => {
    const message = await refusal(config({}));
    expect(message).to.match(/errorBound is missing/);
    expect(message).to.match(/calibrationFile is missing.*calibrate-near-duplicates/);
  });

  it('refuses when the calibration served a p1 cosine below the bound at τ', async () => {
    const message = await refusal(config({ errorBound: { p1Cosine: 0.99 }, calibrationFile: await file(calibration(0.755)) }));
    expect(message).to.match(/p1 0\.7550, below .*p1Cosine 0\.99/);
  });

  it('refuses a τ the calibration did not measure, a file measured for another sketch, too few hits, and a file that is not one', async () => {
    expect(await refusal(config({ threshold: 0.97, errorBound: { p1Cosine: 0.9 }, calibrationFile: await file(calibration(0.995)) }))).to.match(/no measurement at .*threshold 0\.97/);
    const minhash = { ...scope, sketch: 'minhash:n=5:p=128:b=2' };
    expect(await refusal(config({ sketch: 'minhash', errorBound: { p1Cosine: 0.9 }, calibrationFile: await file(calibration(0.995)) }), minhash)).to.match(/sketch "ngram:n=5:d=256"; this instance runs "minhash/);
    expect(await refusal(config({ errorBound: { p1Cosine: 0.9 }, calibrationFile: await file(calibration(0.995, 20)) }))).to.match(/20 hits .*fewer than minCalibrationHits 100/);
    expect(await refusal(config({ errorBound: { p1Cosine: 0.9 }, calibrationFile: await file({ hello: 1 }) }))).to.match(/not a near-duplicate calibration file/);
    expect(await refusal(config({ errorBound: { p1Cosine: 0.9 }, calibrationFile: '/nonexistent/calibration.json' }))).to.match(/cannot be read/);
  });

  it('enables the tier when the calibration at τ meets the bound', async () => {
    const c = config({ errorBound: { p1Cosine: 0.99, minCosine: 0.9 }, calibrationFile: await file(calibration(0.995)) });
    expect((await checkNearDuplicateCalibration(c, scope)).rows).to.have.length(2);
  });
});
