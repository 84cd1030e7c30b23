import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packBatch, PlainAllocator } from '../../../../core/encoder/packBatch.js';
import { DEFAULT_SESSION_TUNING } from '../../../../core/encoder/sessionTuning.js';
import { WorkerPool } from '../../../../core/encoder/WorkerPool.js';
import { WorkerPoolDevice } from '../../../../core/encoder/WorkerPoolDevice.js';
import type { EmbedlineError } from '../../../../core/errors.js';
import type { ModelInfo } from '../../../../core/model/modelInfo.js';
import type { InferenceDeviceSpec } from '../../../../core/ports/InferenceDevice.js';
import { maxAbsDiff, realModel } from '../../../support/model.js';

const CPU_FP32: InferenceDeviceSpec = { id: 'cpu-test', provider: 'cpu', workers: 1, intraOpThreads: 1, variant: 'fp32' };

/** Real word-piece ids of different lengths ([CLS] … [SEP]). */
const ROWS = [Int32Array.of(101, 7592, 2088, 102), Int32Array.of(101, 2023, 2003, 1037, 6251, 2055, 17953, 102)];

function norms(vectors: Float32Array, dimensions: number): number[] {
  return Array.from({ length: vectors.length / dimensions }, (_, r) => Math.hypot(...vectors.subarray(r * dimensions, (r + 1) * dimensions)));
}

describe('WorkerPoolDevice on the real model', () => {
  let model: ModelInfo;
  const allocator = new PlainAllocator();

  before(async () => {
    model = await realModel();
  });

  function device(spec: Partial<InferenceDeviceSpec> = {}, info: ModelInfo = model): WorkerPoolDevice {
    return new WorkerPoolDevice({ ...CPU_FP32, ...spec }, info, DEFAULT_SESSION_TUNING, allocator);
  }

  it('returns unit vectors equal to those of a worker pool running the same batch', async () => {
    const pool = await WorkerPool.start(1, { modelPath: model.onnxPath('fp32'), tuning: DEFAULT_SESSION_TUNING, dimensions: model.dimensions });
    const subject = device();
    await subject.start();
    try {
      const expected = await pool.run(() => packBatch(ROWS, allocator));

      const run = await subject.run(ROWS);

      expect(run.vectors.length).to.equal(ROWS.length * model.dimensions);
      expect(maxAbsDiff(run.vectors, expected.vectors)).to.be.at.most(1e-6);
      for (const norm of norms(run.vectors, model.dimensions)) expect(norm).to.be.closeTo(1, 1e-5);
      expect(run.worker).to.equal(0);
    } finally {
      await Promise.all([pool.close(), subject.stop()]);
    }
  });

  it('fails only the batch its terminated session was handed, and runs the next one on a fresh session', async () => {
    const subject = device();
    await subject.start();
    try {
      // The exit request reaches the thread ahead of the first batch, so the thread dies holding it.
      const terminated = subject.terminate(0);
      const first = subject.run(ROWS).then(() => 'ok', (e: EmbedlineError) => e.code);
      const second = subject.run(ROWS);

      expect(await first).to.equal('EMBEDLINE_WORKER_CRASHED');
      expect((await second).vectors.length).to.equal(ROWS.length * model.dimensions);
      await terminated;
    } finally {
      await subject.stop();
    }
  });

  it('on stop lets the running batch finish, fails the waiting one, and refuses batches until started again', async () => {
    const subject = device();
    await subject.start();

    const running = subject.run(ROWS);
    const waiting = subject.run(ROWS).catch((e: EmbedlineError) => e);
    await subject.stop();

    expect((await running).vectors.length).to.equal(ROWS.length * model.dimensions);
    expect((await waiting as EmbedlineError).code).to.equal('EMBEDLINE_SHUTTING_DOWN');
    expect(((await subject.run(ROWS).catch((e: unknown) => e)) as EmbedlineError).message).to.contain('cpu-test is not started');
  });

  it('spreads waiting batches over its sessions', async () => {
    const subject = device({ workers: 2 });
    await subject.start();
    try {
      const runs = await Promise.all([subject.run(ROWS), subject.run(ROWS)]);

      expect(runs.map((r) => r.worker).sort()).to.deep.equal([0, 1]);
    } finally {
      await subject.stop();
    }
  });

  it('fails to start with EMBEDLINE_CONFIG naming the variant, its file and the fix when the model directory lacks it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'embedline-variant-'));
    try {
      const error = (await device({ variant: 'gpu-fp16' }, { ...model, dir: empty }).start().catch((e: unknown) => e)) as EmbedlineError;

      expect(error.code).to.equal('EMBEDLINE_CONFIG');
      expect(error.message).to.contain('gpu-fp16').and.to.contain('onnx/model_gpu_fp16.onnx').and.to.contain('embedline model optimize --variant gpu-fp16');
      expect(error.context).to.deep.include({ variant: 'gpu-fp16', file: join(empty, 'onnx/model_gpu_fp16.onnx') });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
