import type { PoolingSpec } from '../model/modelDefinition.js';
import type { BatchBuffers } from '../ports/TensorAllocator.js';
import type { SessionTuning } from './sessionTuning.js';
import type { SerializedError } from './workerError.js';

/** Passed once as `workerData` when an inference worker starts. */
export interface WorkerInit {
  readonly modelPath: string;
  readonly tuning: SessionTuning;
  readonly dimensions: number;
  /** The model definition's pooling and normalization; default mean + normalize (MiniLM). */
  readonly pooling?: PoolingSpec | undefined;
}

/**
 * Asks the worker to end its thread. It is handled between batches, never during a native
 * `session.run`: `Worker.terminate()` in the middle of one can abort the whole process
 * ("terminate called after throwing Napi::Error"), seen with onnxruntime-node 1.30.
 */
export interface ExitMessage {
  readonly type: 'exit';
}

/** One packed batch; its buffers are transferred to the worker and transferred back. */
export interface RunBatchMessage {
  readonly type: 'run';
  readonly jobId: number;
  readonly rows: number;
  readonly seqLen: number;
  readonly lengths: Int32Array;
  readonly buffers: BatchBuffers;
}

export interface BatchTimings {
  readonly inferMs: number;
  readonly poolMs: number;
  /** Garbage-collection pause time in the worker since its previous reply (perf_hooks 'gc'). */
  readonly gcMs: number;
}

/** Failures carry the worker's error with its code, context and stack (see workerError.ts). */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly jobId: number; readonly vectors: Float32Array; readonly buffers: BatchBuffers; readonly timings: BatchTimings }
  | { readonly type: 'error'; readonly jobId: number; readonly error: SerializedError; readonly buffers: BatchBuffers };

export function transferList(buffers: BatchBuffers): ArrayBuffer[] {
  const list = [buffers.inputIds.buffer, buffers.attentionMask.buffer, buffers.tokenTypeIds.buffer] as ArrayBuffer[];
  if (buffers.hiddenStates) list.push(buffers.hiddenStates.buffer as ArrayBuffer);
  return list;
}
