import { Worker } from 'node:worker_threads';
import { EmbedlineError } from '../errors.js';
import type { BatchBuffers } from '../ports/TensorAllocator.js';
import type { PackedBatch } from './packBatch.js';
import { deserializeError } from './workerError.js';
import { transferList, type BatchTimings, type ExitMessage, type RunBatchMessage, type WorkerInit, type WorkerReply } from './workerProtocol.js';

export interface BatchOutput {
  readonly vectors: Float32Array;
  readonly timings: BatchTimings;
  readonly worker: number;
}

interface Pending {
  /** Packed when a worker is free, so queued batches cost no event-loop time up front. */
  readonly pack: () => PackedBatch;
  /** Called with the batch's buffers once they are back from the worker (or never left). */
  readonly onBuffers: (buffers: BatchBuffers) => void;
  readonly resolve: (output: BatchOutput) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly index: number;
  worker: Worker;
  /** `buffers` is set once packed: after the transfer they are detached here, kept only to hand back on a crash. */
  busy: { jobId: number; pending: Pending; buffers?: BatchBuffers } | null;
  alive: boolean;
}

// Always the compiled file: run from dist/ (`npm run build`), as worker threads get no TS loader.
const WORKER_ENTRY = new URL('./inferenceWorker.js', import.meta.url);
/** How long a thread asked to stop may finish its batch before it is terminated regardless (a hung run). */
const FORCE_STOP_AFTER_MS = 30_000;

/**
 * A fixed set of inference worker threads, one ONNX Runtime session each, fed from one FIFO
 * queue: an idle worker takes the next batch, so a slow batch never holds up the others.
 * A worker that dies fails only the batch it was running and is replaced.
 *
 * @example
 * const pool = await WorkerPool.start(2, { modelPath, tuning, dimensions: 384 });
 * const { vectors } = await pool.run(() => packBatch(rows, allocator), (buffers) => allocator.release(buffers));
 */
export class WorkerPool {
  private readonly queue: Pending[] = [];
  private nextJobId = 1;
  private closed = false;

  private constructor(private readonly init: WorkerInit, private readonly slots: Slot[]) {}

  static async start(size: number, init: WorkerInit): Promise<WorkerPool> {
    const workers = await Promise.all(Array.from({ length: size }, () => spawnReady(init)));
    const pool = new WorkerPool(init, []);
    workers.forEach((worker, index) => pool.slots.push(pool.attach({ index, worker, busy: null, alive: true })));
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  get queued(): number {
    return this.queue.length;
  }

  get busyWorkers(): number {
    return this.slots.filter((s) => s.busy).length;
  }

  run(pack: () => PackedBatch, onBuffers: (buffers: BatchBuffers) => void = () => {}): Promise<BatchOutput> {
    if (this.closed) return Promise.reject(new EmbedlineError('EMBEDLINE_SHUTTING_DOWN', 'The inference pool is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ pack, onBuffers, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Ends one worker thread as a crash would: the batch it holds (or is handed before the exit
   * is processed) fails with EMBEDLINE_WORKER_CRASHED and the slot is refilled. The thread exits
   * between batches, since terminating it inside a native `session.run` can abort the process.
   */
  async terminateWorker(index: number): Promise<void> {
    const slot = this.slots[index];
    if (!slot) throw new RangeError(`no worker ${index}; the pool has ${this.slots.length}`);
    await stopBetweenBatches(slot.worker, FORCE_STOP_AFTER_MS);
  }

  /**
   * Fails queued batches and stops every thread once it is between batches, so a batch already
   * running finishes (terminating inside a native `session.run` can abort the process). A thread
   * still busy after `forceAfterMs` (a hung run) is terminated anyway.
   */
  async close(forceAfterMs = FORCE_STOP_AFTER_MS): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.reject(new EmbedlineError('EMBEDLINE_SHUTTING_DOWN', 'The inference pool closed before this batch ran.'));
    }
    await Promise.all(this.slots.filter((slot) => slot.alive).map((slot) => stopBetweenBatches(slot.worker, forceAfterMs)));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy || !slot.alive) continue;
      const pending = this.queue.shift()!;
      const jobId = this.nextJobId++;
      const busy: NonNullable<Slot['busy']> = { jobId, pending };
      slot.busy = busy;
      let job: PackedBatch;
      try {
        job = pending.pack();
      } catch (error) {
        slot.busy = null;
        pending.reject(error as Error);
        continue;
      }
      const { rows, seqLen, lengths, buffers } = job;
      const message: RunBatchMessage = { type: 'run', jobId, rows, seqLen, lengths, buffers };
      try {
        slot.worker.postMessage(message, transferList(buffers));
        busy.buffers = buffers;
      } catch (error) {
        // Not sent (a detached or foreign buffer): the buffers never left, so they go straight back.
        slot.busy = null;
        handBack(pending, buffers);
        pending.reject(new EmbedlineError('EMBEDLINE_INTERNAL', `Could not send a batch to an inference worker: ${(error as Error).message}`, {}, { cause: error }));
      }
    }
  }

  private attach(slot: Slot): Slot {
    slot.worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    slot.worker.on('error', (error) => this.onWorkerDeath(slot, error));
    slot.worker.on('exit', (code) => this.onWorkerDeath(slot, new Error(`inference worker exited with code ${code}`)));
    return slot;
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type !== 'result' && reply.type !== 'error') return;
    const busy = slot.busy;
    if (!busy || busy.jobId !== reply.jobId) return;
    slot.busy = null;
    handBack(busy.pending, reply.buffers);
    if (reply.type === 'result') busy.pending.resolve({ vectors: reply.vectors, timings: reply.timings, worker: slot.index });
    else busy.pending.reject(deserializeError(reply.error, (message, cause) => new EmbedlineError('EMBEDLINE_INFERENCE', `ONNX Runtime failed on a batch: ${message}`, {}, { cause })));
    this.dispatch();
  }

  private onWorkerDeath(slot: Slot, error: Error): void {
    const busy = slot.busy;
    slot.busy = null;
    slot.alive = false;
    slot.worker.removeAllListeners();
    // The batch's memory died with the worker; the detached arrays tell the allocator so.
    if (busy?.buffers) handBack(busy.pending, busy.buffers);
    busy?.pending.reject(new EmbedlineError('EMBEDLINE_WORKER_CRASHED', `An inference worker died while running a batch: ${error.message}`, {}, { cause: error }));
    if (this.closed) return;
    void spawnReady(this.init).then(
      (worker) => {
        if (this.closed) return void worker.terminate();
        slot.worker = worker;
        slot.alive = true;
        this.attach(slot);
        this.dispatch();
      },
      (startError: Error) => {
        // The replacement could not start (model gone?): keep the slot out rather than spin, and
        // fail queued work once no worker is left to run it.
        if (this.slots.some((s) => s.alive)) return;
        for (const pending of this.queue.splice(0)) pending.reject(startError);
      },
    );
  }
}

async function stopBetweenBatches(worker: Worker, forceAfterMs: number): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const message: ExitMessage = { type: 'exit' };
  worker.postMessage(message);
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), forceAfterMs)));
  try {
    if ((await Promise.race([exited, forced])) === 'timeout') await worker.terminate();
  } finally {
    clearTimeout(timer);
  }
}

/** An allocator that refuses its buffers back must not take the worker's message handler down with it. */
function handBack(pending: Pending, buffers: BatchBuffers): void {
  try {
    pending.onBuffers(buffers);
  } catch (error) {
    process.emitWarning(`returning a batch's buffers to the allocator failed: ${(error as Error).message}`);
  }
}

function spawnReady(init: WorkerInit): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, { workerData: init });
    const onMessage = (reply: WorkerReply): void => {
      if (reply.type === 'ready') {
        cleanup();
        resolve(worker);
      } else if (reply.type === 'init-error') {
        cleanup();
        void worker.terminate();
        reject(deserializeError(reply.error, (message, cause) => new EmbedlineError('EMBEDLINE_INFERENCE', `Could not load ${init.modelPath}: ${message}`, { modelPath: init.modelPath }, { cause })));
      }
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new EmbedlineError('EMBEDLINE_WORKER_CRASHED', `Inference worker failed to start: ${error.message}`, {}, { cause: error }));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
}
