/**
 * Attention-masked mean pooling followed by L2 normalization, as sentence-transformers'
 * Pooling(mean) + Normalize modules do. With right padding the mask of row i is 1 for the
 * first `lengths[i]` positions, so the sum runs over exactly those.
 *
 * @param hidden last_hidden_state, shape [rows, seqLen, dim], row-major
 * @returns rows × dim unit vectors, row-major
 *
 * @example
 * const vectors = meanPoolNormalize(output.data as Float32Array, [4, 2], 4, 384);
 */
export function meanPoolNormalize(hidden: Float32Array, lengths: ArrayLike<number>, seqLen: number, dim: number, into?: Float32Array): Float32Array {
  const rows = lengths.length;
  const out = into ?? new Float32Array(rows * dim);
  const acc = new Float64Array(dim);
  for (let row = 0; row < rows; row++) {
    acc.fill(0);
    const tokens = lengths[row]!;
    const rowBase = row * seqLen * dim;
    for (let t = 0; t < tokens; t++) {
      const base = rowBase + t * dim;
      for (let d = 0; d < dim; d++) acc[d]! += hidden[base + d]!;
    }
    // sentence-transformers clamps the token count at 1e-9 and F.normalize clamps the norm at 1e-12.
    const count = Math.max(tokens, 1e-9);
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const mean = acc[d]! / count;
      acc[d] = mean;
      norm += mean * mean;
    }
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
    const outBase = row * dim;
    for (let d = 0; d < dim; d++) out[outBase + d] = acc[d]! * scale;
  }
  return out;
}
