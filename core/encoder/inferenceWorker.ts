/**
 * Worker-thread entry: owns one ONNX Runtime session. `session.run()` blocks the thread that
 * calls it for the whole batch, so it must never run on the event loop that serves requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { meanPoolNormalize } from './meanPool.js';
import { toSessionOptions } from './sessionTuning.js';
import { transferList, type ExitMessage, type RunBatchMessage, type WorkerInit, type WorkerReply } from './workerProtocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

// GC pauses in this thread, reported with each result: output tensors are allocated here, so
// this is where allocation pressure shows (the main thread's observer cannot see this isolate).
let gcMsSinceReply = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMsSinceReply += entry.duration;
}).observe({ entryTypes: ['gc'] });

function takeGcMs(): number {
  const ms = gcMsSinceReply;
  gcMsSinceReply = 0;
  return ms;
}

/**
 * A pre-allocated output when the allocator sent room for one: ONNX Runtime then writes the
 * hidden states there instead of allocating them (onnxruntime-node 1.30 still returns a copy).
 */
function preallocatedFetches(buffers: RunBatchMessage['buffers'], outputName: string, dims: readonly [number, number, number]): Record<string, Tensor> | undefined {
  const size = dims[0] * dims[1] * dims[2];
  if (outputName !== 'last_hidden_state' || !buffers.hiddenStates || buffers.hiddenStates.length < size) return undefined;
  return { [outputName]: new Tensor('float32', buffers.hiddenStates.subarray(0, size), [...dims]) };
}

async function main(): Promise<void> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(init.modelPath, toSessionOptions(init.tuning));
  } catch (error) {
    reply({ type: 'init-error', message: (error as Error).message });
    return;
  }
  const needsTokenTypes = session.inputNames.includes('token_type_ids');
  const outputName = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0]!;
  reply({ type: 'ready' });

  port.on('message', async (message: RunBatchMessage | ExitMessage) => {
    if (message.type === 'exit') process.exit(1);
    const { buffers, rows, seqLen } = message;
    try {
      const cells = rows * seqLen;
      const dims = [rows, seqLen];
      // Pooled buffers may be larger than this batch: the tensors view only the first `cells`.
      const feeds: Record<string, Tensor> = {
        input_ids: new Tensor('int64', buffers.inputIds.subarray(0, cells), dims),
        attention_mask: new Tensor('int64', buffers.attentionMask.subarray(0, cells), dims),
      };
      if (needsTokenTypes) feeds.token_type_ids = new Tensor('int64', buffers.tokenTypeIds.subarray(0, cells), dims);
      const fetches = preallocatedFetches(buffers, outputName, [rows, seqLen, init.dimensions]);
      const t0 = performance.now();
      const outputs = fetches ? await session.run(feeds, fetches) : await session.run(feeds);
      const t1 = performance.now();
      const vectors = meanPoolNormalize(outputs[outputName]!.data as Float32Array, message.lengths, seqLen, init.dimensions);
      for (const output of Object.values(outputs)) output.dispose();
      const t2 = performance.now();
      const timings = { inferMs: t1 - t0, poolMs: t2 - t1, gcMs: takeGcMs() };
      reply({ type: 'result', jobId: message.jobId, vectors, buffers, timings }, [vectors.buffer as ArrayBuffer, ...transferList(buffers)]);
    } catch (error) {
      reply({ type: 'error', jobId: message.jobId, message: (error as Error).message, buffers }, transferList(buffers));
    }
  });
}

void main();
