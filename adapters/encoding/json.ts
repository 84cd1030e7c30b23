import { vectorFormat, type ElementArray, type VectorFormatEncoding } from './vectorFormats.js';

const FLOAT32 = vectorFormat('float32');

/**
 * A vector as a JSON array of numbers (OpenAI's `encoding_format: "float"`, TEI's `/embed`,
 * JSONL rows). float32 elements print as the doubles they widen to, exactly.
 *
 * @example
 * toJsonValues(Float32Array.of(0.5, -1)); // [0.5, -1]
 */
export function toJsonValues<A extends ElementArray = Float32Array>(values: A, format: VectorFormatEncoding<A> = FLOAT32 as unknown as VectorFormatEncoding<A>): number[] {
  return format.toJson(values);
}

/**
 * How a vector travels inside a JSON body, keyed by the name OpenAI's `encoding_format` uses:
 * `float` as a number array, `base64` as little-endian element bytes (see base64.ts).
 */
export const JSON_VECTOR_ENCODINGS = ['float', 'base64'] as const;
export type JsonVectorEncoding = (typeof JSON_VECTOR_ENCODINGS)[number];

export function isJsonVectorEncoding(value: unknown): value is JsonVectorEncoding {
  return typeof value === 'string' && (JSON_VECTOR_ENCODINGS as readonly string[]).includes(value);
}
