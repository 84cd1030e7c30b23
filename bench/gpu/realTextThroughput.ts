import { performance } from 'node:perf_hooks';
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import { planBatches, type BatchLimits } from '../../core/encoder/batchPlanner.js';
import { meanPoolNormalize } from '../../core/encoder/meanPool.js';
import { packBatch, PlainAllocator } from '../../core/encoder/packBatch.js';
import { dispose } from './syntheticThroughput.js';

export interface TextPass {
  readonly vectors: Float32Array[];
  readonly ms: number;
  readonly batches: number;
  readonly realTokens: number;
  readonly paddedCells: number;
}

/**
 * One pass over pre-tokenized texts the way the service batches them: sorted by length into
 * batches (planBatches), right-padded (packBatch), mean-pooled and normalized (meanPoolNormalize).
 */
export async function realTextPass(session: InferenceSession, texts: readonly Int32Array[], limits: BatchLimits, dimensions: number): Promise<TextPass> {
  const allocator = new PlainAllocator();
  const vectors = new Array<Float32Array>(texts.length);
  const plan = planBatches(Int32Array.from(texts, (t) => t.length), limits);
  let paddedCells = 0;
  const start = performance.now();
  for (const indices of plan) {
    const packed = packBatch(indices.map((i) => texts[i]!), allocator);
    const dims = [packed.rows, packed.seqLen];
    const cells = packed.rows * packed.seqLen;
    paddedCells += cells;
    const outputs = await session.run({
      input_ids: new Tensor('int64', packed.buffers.inputIds.subarray(0, cells), dims),
      attention_mask: new Tensor('int64', packed.buffers.attentionMask.subarray(0, cells), dims),
      token_type_ids: new Tensor('int64', packed.buffers.tokenTypeIds.subarray(0, cells), dims),
    });
    const pooled = meanPoolNormalize(outputs.last_hidden_state!.data as Float32Array, packed.lengths, packed.seqLen, dimensions);
    dispose(outputs);
    indices.forEach((textIndex, row) => (vectors[textIndex] = pooled.slice(row * dimensions, (row + 1) * dimensions)));
  }
  const realTokens = texts.reduce((n, t) => n + t.length, 0);
  return { vectors, ms: performance.now() - start, batches: plan.length, realTokens, paddedCells };
}
