import type { ModelDimensions } from './modelDimensions.js';

/**
 * Peak activation bytes of one batch of `rows` texts padded to `seqLen`. The layers run one
 * after another and ONNX Runtime's planner reuses a finished layer's buffers, so the peak is one
 * layer's working set plus the batch's inputs and output, not `layers` times it:
 *
 * - per token (rows × len): six hidden-sized buffers (layer input, Q, K, V, attention context,
 *   layer output, which also serves as the model's output), the feed-forward intermediate and its
 *   activation (2 × intermediate), three int64 inputs;
 * - per row: one heads × len² buffer of attention scores (the softmax runs in place on it).
 *
 * So memory grows with rows × len and, for long texts, with rows × len². The counts of buffers
 * are what the measured peak RSS of all-MiniLM-L6-v2 under ONNX Runtime 1.x on CPU supports
 * (bench/adaptive/memoryEstimateCheck.ts; docs/BENCHMARKS.md, "Adaptive batching"): counting
 * every intermediate separately (8 hidden-sized buffers, scores and probabilities apart)
 * overestimated it by 40–55 %.
 *
 * @example
 * estimateBatchBytes({ hiddenSize: 384, layers: 6, heads: 12, intermediateSize: 1536 }, 16, 128, 4); // ≈ 57 MB
 */
export function estimateBatchBytes(dims: ModelDimensions, rows: number, seqLen: number, bytesPerElement: number): number {
  const tokens = rows * seqLen;
  const perToken = (6 * dims.hiddenSize + 2 * dims.intermediateSize) * bytesPerElement + 3 * 8;
  const attention = rows * dims.heads * seqLen * seqLen * bytesPerElement;
  return tokens * perToken + attention;
}

/** The most rows of length `seqLen` that fit `budgetBytes` (0 when not even one does). */
export function maxRowsWithin(dims: ModelDimensions, seqLen: number, budgetBytes: number, bytesPerElement: number): number {
  return Math.floor(budgetBytes / estimateBatchBytes(dims, 1, seqLen, bytesPerElement));
}
