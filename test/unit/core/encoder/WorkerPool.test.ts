import { expect } from 'chai';
import { packBatch, PlainAllocator } from '../../../../core/encoder/packBatch.js';
import { DEFAULT_SESSION_TUNING } from '../../../../core/encoder/sessionTuning.js';
import { WorkerPool } from '../../../../core/encoder/WorkerPool.js';
import { EmbedlineError } from '../../../../core/errors.js';
import type { ModelInfo } from '../../../../core/model/modelInfo.js';
import { realModel } from '../../../support/model.js';

const allocator = new PlainAllocator();
const ROW = Int32Array.of(101, 7592, 2088, 102);

async function failure(promise: Promise<unknown>): Promise<EmbedlineError> {
  const outcome = await promise.then(() => undefined, (e: unknown) => e);
  expect(outcome, 'expected a rejection').to.be.instanceOf(EmbedlineError);
  return outcome as EmbedlineError;
}

describe('WorkerPool on the real model', () => {
  let model: ModelInfo;

  before(async () => {
    model = await realModel();
  });

  async function withPool<T>(dimensions: number, body: (pool: WorkerPool) => Promise<T>): Promise<T> {
    const pool = await WorkerPool.start(1, { modelPath: model.onnxPath('fp32'), tuning: DEFAULT_SESSION_TUNING, dimensions });
    try {
      return await body(pool);
    } finally {
      await pool.close();
    }
  }

  describe('errors from the worker thread', () => {
    it("reach the caller of a run as an EmbedlineError with the worker's code, context and stack", async () => {
      // A model info whose width disagrees with the ONNX output: the worker refuses to pool it.
      const error = await withPool(100, (pool) => failure(pool.run(() => packBatch([ROW], allocator))));

      expect(error.code).to.equal('EMBEDLINE_INFERENCE');
      expect(error.context).to.deep.include({ outputShape: [1, ROW.length, 384], expectedDimensions: 100 });
      expect(error.cause).to.be.instanceOf(Error);
      expect((error.cause as Error).stack).to.contain('checkHiddenSize').and.to.contain('inferenceWorker.js');
    });

    it('reach the caller of start with the code and context the worker classified the failure by', async () => {
      const notAModel = new URL('../../../../../package.json', import.meta.url).pathname;

      const error = await failure(WorkerPool.start(1, { modelPath: notAModel, tuning: DEFAULT_SESSION_TUNING, dimensions: 384 }));

      expect(error.code).to.equal('EMBEDLINE_INFERENCE');
      expect(error.message).to.contain(`Could not load ${notAModel}`);
      expect(error.context).to.deep.equal({ modelPath: notAModel });
      expect((error.cause as Error).stack).to.contain('inferenceWorker.js');
      expect(((error.cause as Error).cause as Error).message).to.contain('Protobuf parsing failed');
    });

    it("keep ONNX Runtime's own message and stack when the batch itself is bad", async () => {
      const outOfVocabulary = Int32Array.of(101, 999_999, 102);

      const error = await withPool(model.dimensions, (pool) => failure(pool.run(() => packBatch([outOfVocabulary], allocator))));

      expect(error.code).to.equal('EMBEDLINE_INFERENCE');
      expect(error.message).to.contain('idx=999999');
      expect((error.cause as Error).stack).to.contain('onnxruntime-node');
    });
  });

  it('lets a batch that is running finish when its worker is asked to stop, then replaces the worker', async () => {
    await withPool(model.dimensions, async (pool) => {
      const running = pool.run(() => packBatch([ROW], allocator));
      // The run message is ahead of the exit request, so the worker holds the exit until it replies.
      const stopped = pool.terminateWorker(0);

      const output = await running;
      await stopped;
      const after = await pool.run(() => packBatch([ROW], allocator));

      expect(output.vectors.length).to.equal(model.dimensions);
      expect(after.vectors.length).to.equal(model.dimensions);
    });
  });

  it('fails batches still queued when it closes', async () => {
    await withPool(model.dimensions, async (pool) => {
      const running = pool.run(() => packBatch([ROW], allocator));
      const queued = failure(pool.run(() => packBatch([ROW], allocator)));

      await pool.close();

      expect((await running).vectors.length).to.equal(model.dimensions);
      expect((await queued).code).to.equal('EMBEDLINE_SHUTTING_DOWN');
      expect((await failure(pool.run(() => packBatch([ROW], allocator)))).code).to.equal('EMBEDLINE_SHUTTING_DOWN');
    });
  });
});
