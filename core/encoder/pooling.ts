import type { PoolingSpec } from '../model/modelDefinition.js';
import { meanPoolNormalize } from './meanPool.js';

/**
 * The model's pooling over last_hidden_state, as its sentence-transformers Pooling module (and
 * Normalize module, when it has one) computes it. Rows are right-padded: row i's real tokens are
 * its first `lengths[i]` positions. Mean + normalize (MiniLM, e5) keeps the dedicated hot path.
 *
 * @param hidden last_hidden_state, shape [rows, seqLen, dim], row-major
 * @returns rows × dim vectors, row-major
 *
 * @example
 * const vectors = poolVectors(output.data as Float32Array, lengths, seqLen, 384, { mode: 'cls', normalize: true });
 */
export function poolVectors(hidden: Float32Array, lengths: ArrayLike<number>, seqLen: number, dim: number, spec: PoolingSpec): Float32Array {
  if (spec.mode === 'mean' && spec.normalize) return meanPoolNormalize(hidden, lengths, seqLen, dim);
  const rows = lengths.length;
  const out = new Float32Array(rows * dim);
  const acc = new Float64Array(dim);
  for (let row = 0; row < rows; row++) {
    const tokens = lengths[row]!;
    const rowBase = row * seqLen * dim;
    poolRow(hidden, rowBase, tokens, dim, spec.mode, acc);
    let scale = 1;
    if (spec.normalize) {
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += acc[d]! * acc[d]!;
      // F.normalize clamps the norm at 1e-12.
      scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
    }
    const outBase = row * dim;
    for (let d = 0; d < dim; d++) out[outBase + d] = acc[d]! * scale;
  }
  return out;
}

/** One row's pooled vector into `acc` (float64, as the mean path accumulates). */
function poolRow(hidden: Float32Array, rowBase: number, tokens: number, dim: number, mode: PoolingSpec['mode'], acc: Float64Array): void {
  switch (mode) {
    case 'cls':
      // sentence-transformers takes token 0 ([CLS]) whatever the mask says.
      for (let d = 0; d < dim; d++) acc[d] = hidden[rowBase + d]!;
      return;
    case 'lasttoken': {
      // The last position the attention mask covers; with right padding that is tokens - 1.
      const base = rowBase + Math.max(tokens - 1, 0) * dim;
      for (let d = 0; d < dim; d++) acc[d] = hidden[base + d]!;
      return;
    }
    case 'max':
      // sentence-transformers sets padded positions to -1e9 before the max: only real tokens count.
      acc.fill(tokens > 0 ? -Infinity : -1e9);
      for (let t = 0; t < tokens; t++) {
        const base = rowBase + t * dim;
        for (let d = 0; d < dim; d++) if (hidden[base + d]! > acc[d]!) acc[d] = hidden[base + d]!;
      }
      return;
    case 'mean': {
      acc.fill(0);
      for (let t = 0; t < tokens; t++) {
        const base = rowBase + t * dim;
        for (let d = 0; d < dim; d++) acc[d]! += hidden[base + d]!;
      }
      const count = Math.max(tokens, 1e-9);
      for (let d = 0; d < dim; d++) acc[d] = acc[d]! / count;
      return;
    }
  }
}
