import { fromLittleEndianBytes, toLittleEndianBytes } from './littleEndian.js';
import { vectorFormat, type ElementArray, type VectorFormatEncoding } from './vectorFormats.js';

const FLOAT32 = vectorFormat('float32');

/**
 * OpenAI's `encoding_format: "base64"`: the vector's little-endian element bytes, base64
 * (2 KiB of text for a 384-d float32 vector instead of ~8 KiB of JSON numbers).
 *
 * @example
 * toBase64(Float32Array.of(1)); // 'AACAPw=='
 */
export function toBase64<A extends ElementArray = Float32Array>(values: A, format: VectorFormatEncoding<A> = FLOAT32 as unknown as VectorFormatEncoding<A>): string {
  return toLittleEndianBytes(format, values).toString('base64');
}

/** Inverse of toBase64. */
export function fromBase64<A extends ElementArray = Float32Array>(text: string, format: VectorFormatEncoding<A> = FLOAT32 as unknown as VectorFormatEncoding<A>): A {
  return fromLittleEndianBytes(format, Buffer.from(text, 'base64'));
}
