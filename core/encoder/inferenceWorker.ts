/**
 * Worker-thread entry: owns one ONNX Runtime session. `session.run()` blocks the thread that
 * calls it for the whole batch, so it must never run on the event loop that serves requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { meanPoolNormalize } from './meanPool.js';
import { toSessionOptions } from './sessionTuning.js';
import { transferList, type RunBatchMessage, type WorkerInit, type WorkerReply } from './workerProtocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
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

  port.on('message', async (message: RunBatchMessage) => {
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
      const t0 = performance.now();
      const outputs = await session.run(feeds);
      const t1 = performance.now();
      const vectors = meanPoolNormalize(outputs[outputName]!.data as Float32Array, message.lengths, seqLen, init.dimensions);
      for (const output of Object.values(outputs)) output.dispose();
      const t2 = performance.now();
      reply({ type: 'result', jobId: message.jobId, vectors, buffers, timings: { inferMs: t1 - t0, poolMs: t2 - t1 } }, [vectors.buffer as ArrayBuffer, ...transferList(buffers)]);
    } catch (error) {
      reply({ type: 'error', jobId: message.jobId, message: (error as Error).message, buffers }, transferList(buffers));
    }
  });
}

void main();
