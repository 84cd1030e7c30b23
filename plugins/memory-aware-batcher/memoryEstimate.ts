import type { ModelDimensions } from './modelDimensions.js';

/**
 * Peak activation bytes of one batch of `rows` texts padded to `seqLen`. The layers run one
 * after another and ONNX Runtime's planner reuses a finished layer's buffers, so the peak is one
 * layer's working set plus the batch's inputs and output, not `layers` times it:
 *
 * - per token (rows × len): hidden state in and out, Q, K and V, attention context and its
 *   projection (7 × hidden), the feed-forward intermediate and its activation (2 × intermediate),
 *   the output hidden state (1 × hidden), three int64 inputs;
 * - per row: attention scores and softmax probabilities, heads × len² each.
 *
 * So memory grows with rows × len and, for long texts, with rows × len².
 *
 * @example
 * estimateBatchBytes({ hiddenSize: 384, layers: 6, heads: 12, intermediateSize: 1536 }, 16, 128, 4); // ≈ 75 MB
 */
export function estimateBatchBytes(dims: ModelDimensions, rows: number, seqLen: number, bytesPerElement: number): number {
  const tokens = rows * seqLen;
  const perToken = (8 * dims.hiddenSize + 2 * dims.intermediateSize) * bytesPerElement + 3 * 8;
  const attention = 2 * rows * dims.heads * seqLen * seqLen * bytesPerElement;
  return tokens * perToken + attention;
}

/** The most rows of length `seqLen` that fit `budgetBytes` (0 when not even one does). */
export function maxRowsWithin(dims: ModelDimensions, seqLen: number, budgetBytes: number, bytesPerElement: number): number {
  return Math.floor(budgetBytes / estimateBatchBytes(dims, 1, seqLen, bytesPerElement));
}
