/**
 * Worker-thread entry: owns one ONNX Runtime session. A batch keeps the session's threads busy
 * for its whole run, so sessions live here, never on the event loop that serves requests. An
 * EmbedlineError thrown here reaches the caller with its code, context and this thread's stack.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { EmbedlineError, isEmbedlineError } from '../errors.js';
import { crashIfTriggered } from './crashInjection.js';
import { MEAN_NORMALIZED } from '../model/modelDefinition.js';
import { poolVectors } from './pooling.js';
import { sessionStartError } from './sessionStartError.js';
import { toSessionOptions } from './sessionTuning.js';
import { serializeError } from './workerError.js';
import { transferList, type ExitMessage, type RunBatchMessage, type WorkerInit, type WorkerReply } from './workerProtocol.js';

const init = workerData as WorkerInit;
const pooling = init.pooling ?? MEAN_NORMALIZED;
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

/**
 * Pooling a hidden state of another width than the model info says would return vectors of
 * the wrong length (or read past the rows): a model directory whose config.json does not
 * match its ONNX file.
 */
function checkHiddenSize(dims: readonly number[]): void {
  const width = dims[dims.length - 1];
  if (dims.length !== 3 || width !== init.dimensions) {
    throw new EmbedlineError('EMBEDLINE_INFERENCE', `The model's output has shape [${dims.join(', ')}], expected [rows, tokens, ${init.dimensions}] (hidden_size in config.json); the model directory's config.json and ONNX file do not match.`, { outputShape: [...dims], expectedDimensions: init.dimensions, modelPath: init.modelPath });
  }
}

async function main(): Promise<void> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(init.modelPath, toSessionOptions(init.tuning));
  } catch (error) {
    // Classified here, so the code, context and this thread's stack all reach the caller.
    const startError = isEmbedlineError(error) ? error : sessionStartError(init, (error as Error).message, error);
    reply({ type: 'init-error', error: serializeError(startError) });
    return;
  }
  const needsTokenTypes = session.inputNames.includes('token_type_ids');
  const outputName = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0]!;
  reply({ type: 'ready' });

  // session.run is asynchronous in onnxruntime-node 1.30, so an exit request can arrive while a
  // batch runs: it is held until that batch's reply is sent (exiting inside a native run kills
  // the batch, and can abort the process).
  let running = false;
  let exitRequested = false;
  port.on('message', async (message: RunBatchMessage | ExitMessage) => {
    if (message.type === 'exit') {
      exitRequested = true;
      if (!running) process.exit(1);
      return;
    }
    running = true;
    crashIfTriggered();
    try {
      await runBatch(session, message, needsTokenTypes, outputName);
    } finally {
      running = false;
      if (exitRequested) process.exit(1);
    }
  });
}

/** Runs one batch and replies with its vectors, or with the error (code, context and stack kept). */
async function runBatch(session: InferenceSession, message: RunBatchMessage, needsTokenTypes: boolean, outputName: string): Promise<void> {
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
    let vectors: Float32Array;
    try {
      const hidden = outputs[outputName]!;
      checkHiddenSize(hidden.dims);
      vectors = poolVectors(hidden.data as Float32Array, message.lengths, seqLen, init.dimensions, pooling);
    } finally {
      for (const output of Object.values(outputs)) output.dispose();
    }
    const t2 = performance.now();
    const timings = { inferMs: t1 - t0, poolMs: t2 - t1, gcMs: takeGcMs() };
    reply({ type: 'result', jobId: message.jobId, vectors, buffers, timings }, [vectors.buffer as ArrayBuffer, ...transferList(buffers)]);
  } catch (error) {
    reply({ type: 'error', jobId: message.jobId, error: serializeError(error), buffers }, transferList(buffers));
  }
}

void main();
