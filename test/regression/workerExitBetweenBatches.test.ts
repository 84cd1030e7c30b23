import { expect } from 'chai';
import { DEFAULT_SESSION_TUNING } from '../../core/encoder/sessionTuning.js';
import { packBatch, PlainAllocator } from '../../core/encoder/packBatch.js';
import { WorkerPool } from '../../core/encoder/WorkerPool.js';
import type { EmbedlineError } from '../../core/errors.js';
import { realModel } from '../support/model.js';

// Regression: Worker.terminate() during a native session.run aborted the whole test process
// ("terminate called after throwing an instance of 'Napi::Error'"). Stopping a worker now
// waits for a point between batches.
describe('stopping an inference worker while batches are running', () => {
  it('fails only the batches that worker held and leaves the process running', async () => {
    const model = await realModel();
    const pool = await WorkerPool.start(2, { modelPath: model.onnxPath('fp32'), tuning: DEFAULT_SESSION_TUNING, dimensions: model.dimensions });
    const allocator = new PlainAllocator();
    const rows = Array.from({ length: 16 }, () => Int32Array.from({ length: 200 }, (_, i) => (i === 0 ? 101 : i === 199 ? 102 : 2000 + i)));
    try {
      const running = Array.from({ length: 4 }, () => pool.run(() => packBatch(rows, allocator)).then(() => 'ok', (e: EmbedlineError) => e.code));
      await new Promise((r) => setTimeout(r, 50));
      await pool.terminateWorker(0);

      const outcomes = await Promise.all(running);
      const after = await pool.run(() => packBatch(rows.slice(0, 2), allocator));

      expect(outcomes.every((o) => o === 'ok' || o === 'EMBEDLINE_WORKER_CRASHED')).to.equal(true);
      expect(after.vectors.length).to.equal(2 * model.dimensions);
    } finally {
      await pool.close();
    }
  });

  it('closes the pool while batches run: running ones finish or fail cleanly, the process lives', async () => {
    const model = await realModel();
    const pool = await WorkerPool.start(2, { modelPath: model.onnxPath('fp32'), tuning: DEFAULT_SESSION_TUNING, dimensions: model.dimensions });
    const allocator = new PlainAllocator();
    const rows = Array.from({ length: 16 }, () => Int32Array.from({ length: 200 }, (_, i) => (i === 0 ? 101 : i === 199 ? 102 : 2000 + i)));
    const running = Array.from({ length: 6 }, () => pool.run(() => packBatch(rows, allocator)).then(() => 'ok', (e: EmbedlineError) => e.code));
    await new Promise((r) => setTimeout(r, 50));

    await pool.close();
    const outcomes = await Promise.all(running);

    expect(outcomes.slice(0, 2), 'the two batches already on a worker').to.satisfy((o: string[]) => o.every((x) => x === 'ok' || x === 'EMBEDLINE_WORKER_CRASHED'));
    expect(outcomes.slice(2), 'queued batches').to.deep.equal(['EMBEDLINE_SHUTTING_DOWN', 'EMBEDLINE_SHUTTING_DOWN', 'EMBEDLINE_SHUTTING_DOWN', 'EMBEDLINE_SHUTTING_DOWN']);
  });
});
