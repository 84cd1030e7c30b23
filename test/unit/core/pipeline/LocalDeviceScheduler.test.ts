import { expect } from 'chai';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { configSchema, type EmbedlineConfig } from '../../../../core/config/schema.js';
import { PlainAllocator } from '../../../../core/encoder/packBatch.js';
import { sessionTuningFrom } from '../../../../core/encoder/sessionTuning.js';
import { WorkerPoolDevice } from '../../../../core/encoder/WorkerPoolDevice.js';
import type { EmbedlineError } from '../../../../core/errors.js';
import type { ModelInfo } from '../../../../core/model/modelInfo.js';
import { VARIANT_FILES, type ModelVariant } from '../../../../core/model/variants.js';
import type { InferenceDeviceFactory } from '../../../../core/ports/InferenceDevice.js';
import { LocalDeviceScheduler } from '../../../../core/pipeline/LocalDeviceScheduler.js';
import type { TokenBatch } from '../../../../core/pipeline/types.js';
import { realModel } from '../../../support/model.js';

const ROWS = [Int32Array.of(101, 7592, 2088, 102)];
const batch = (variant: ModelVariant): TokenBatch => ({ id: 1, variant, rows: ROWS, priority: 'normal' });

describe('LocalDeviceScheduler on the real model', () => {
  let model: ModelInfo;
  let modelDir: string;
  let scheduler: LocalDeviceScheduler;

  before(async () => {
    model = await realModel();
  });

  /** A model directory holding only the fp32 file (linked from the real one), so other variants are missing. */
  beforeEach(async () => {
    modelDir = await mkdtemp(join(tmpdir(), 'embedline-local-scheduler-'));
    await linkVariant('fp32');
  });

  afterEach(async () => {
    await scheduler?.close();
    await rm(modelDir, { recursive: true, force: true });
  });

  async function linkVariant(variant: ModelVariant): Promise<void> {
    const target = join(modelDir, VARIANT_FILES[variant]);
    await mkdir(dirname(target), { recursive: true });
    await symlink(join(model.dir, VARIANT_FILES[variant]), target);
  }

  function schedulerFor(variant: ModelVariant): LocalDeviceScheduler {
    const config: EmbedlineConfig = configSchema.parse({ model: { variant }, encoder: { workers: 1, intraOpThreads: 1 } });
    const info: ModelInfo = { ...model, dir: modelDir, onnxPath: (v) => join(modelDir, VARIANT_FILES[v]) };
    const allocator = new PlainAllocator();
    const factory: InferenceDeviceFactory = (spec) => new WorkerPoolDevice(spec, info, sessionTuningFrom(config), allocator);
    scheduler = new LocalDeviceScheduler(config, factory);
    return scheduler;
  }

  it('reports the configured variant as starting while its sessions load, then ready', async () => {
    const subject = schedulerFor('fp32');

    const started = subject.start();
    const during = subject.status();
    await started;

    expect(during).to.deep.equal([{ id: 'cpu-fp32', kind: 'cpu', variant: 'fp32', state: 'starting', queuedBatches: 0 }]);
    expect(subject.status()).to.deep.equal([{ id: 'cpu-fp32', kind: 'cpu', variant: 'fp32', state: 'ready', queuedBatches: 0 }]);
  });

  it('counts batches in flight and reports busy while every session has one', async () => {
    const subject = schedulerFor('fp32');
    await subject.start();

    const runs = [subject.run(batch('fp32')), subject.run(batch('fp32'))];
    const during = subject.status()[0];
    const outcomes = await Promise.all(runs);

    expect(during).to.deep.include({ state: 'busy', queuedBatches: 2 });
    expect(subject.status()[0]).to.deep.include({ state: 'ready', queuedBatches: 0 });
    expect(outcomes.map((o) => o.device)).to.deep.equal(['cpu-fp32-0', 'cpu-fp32-0']);
  });

  it('fails to start with EMBEDLINE_CONFIG naming the fix when the configured variant is not in the model directory, and reports it failed with that reason', async () => {
    const subject = schedulerFor('gpu-fp16');

    const error = (await subject.start().catch((e: unknown) => e)) as EmbedlineError;

    expect(error.code).to.equal('EMBEDLINE_CONFIG');
    expect(error.message).to.contain('embedline model optimize --variant gpu-fp16');
    const [status] = subject.status();
    expect(status).to.deep.include({ id: 'cpu-gpu-fp16', variant: 'gpu-fp16', state: 'failed', queuedBatches: 0 });
    expect(status!.reason).to.contain('EMBEDLINE_CONFIG').and.to.contain(VARIANT_FILES['gpu-fp16']);
  });

  it('starts another variant on its first batch, and tries a failed start again on the next batch', async () => {
    const subject = schedulerFor('fp32');
    await subject.start();

    const first = (await subject.run(batch('int8')).catch((e: unknown) => e)) as EmbedlineError;
    const afterFailure = subject.status().find((d) => d.variant === 'int8');
    await linkVariant('int8');
    const second = await subject.run(batch('int8'));

    expect(first.code).to.equal('EMBEDLINE_CONFIG');
    expect(afterFailure?.state).to.equal('failed');
    expect(second.vectors.length).to.equal(model.dimensions);
    expect(subject.status().map((d) => `${d.id}:${d.state}`)).to.deep.equal(['cpu-fp32:ready', 'cpu-int8:ready']);
  });

  it('reports no devices once closed, refuses batches, and starts no device for them', async () => {
    const subject = schedulerFor('fp32');
    await subject.start();
    await linkVariant('int8');

    await subject.close();
    const errors = await Promise.all([subject.run(batch('fp32')), subject.run(batch('int8'))].map((run) => run.catch((e: EmbedlineError) => e.code)));

    expect(errors).to.deep.equal(['EMBEDLINE_SHUTTING_DOWN', 'EMBEDLINE_SHUTTING_DOWN']);
    expect(subject.status()).to.deep.equal([]);
  });
});
