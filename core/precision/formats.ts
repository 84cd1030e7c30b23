/**
 * The vector formats a caller can ask for: the single list every schema, type and doc table
 * derives from. Conventions follow sentence-transformers' `quantize_embeddings` and Cohere's
 * `embedding_types`: int8/uint8 map each dimension's calibrated range onto 256 levels,
 * binary/ubinary keep the sign bit of each dimension packed eight to a byte (first dimension
 * in the most significant bit, as `numpy.packbits`), binary shifted by -128 into int8.
 * int16 is our own: the same calibrated range onto 65,536 levels.
 *
 * @example
 * isVectorFormat('int8'); // true
 * FORMAT_LAYOUT.int16.bytes(384); // 768
 */
export const VECTOR_FORMATS = ['float32', 'float16', 'int16', 'int8', 'uint8', 'binary', 'ubinary'] as const;
export type VectorFormat = (typeof VECTOR_FORMATS)[number];

export function isVectorFormat(value: unknown): value is VectorFormat {
  return typeof value === 'string' && (VECTOR_FORMATS as readonly string[]).includes(value);
}

export interface FormatLayout {
  /** NumPy dtype of one element as stored (`<f4`, `<f2`, `<i2`, `|i1`, `|u1`). */
  readonly dtype: '<f4' | '<f2' | '<i2' | '|i1' | '|u1';
  /** Elements per vector of `dims` dimensions (packed bits: ceil(dims / 8)). */
  elements(dims: number): number;
  /** Bytes per vector. */
  bytes(dims: number): number;
  /** Whether JSON carries integers (every format but the two float ones). */
  readonly integer: boolean;
  /** Whether it needs the calibrated per-dimension ranges. */
  readonly calibrated: boolean;
}

const perDim = (size: number) => ({ elements: (d: number) => d, bytes: (d: number) => d * size });
const packed = { elements: (d: number) => Math.ceil(d / 8), bytes: (d: number) => Math.ceil(d / 8) };

export const FORMAT_LAYOUT: Readonly<Record<VectorFormat, FormatLayout>> = {
  float32: { dtype: '<f4', ...perDim(4), integer: false, calibrated: false },
  float16: { dtype: '<f2', ...perDim(2), integer: false, calibrated: false },
  int16: { dtype: '<i2', ...perDim(2), integer: true, calibrated: true },
  int8: { dtype: '|i1', ...perDim(1), integer: true, calibrated: true },
  uint8: { dtype: '|u1', ...perDim(1), integer: true, calibrated: true },
  binary: { dtype: '|i1', ...packed, integer: true, calibrated: false },
  ubinary: { dtype: '|u1', ...packed, integer: true, calibrated: false },
};
