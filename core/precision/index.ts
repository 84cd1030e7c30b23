/**
 * The package's public precision helpers (`import { decodeVector } from 'embedline/precision'`):
 * what a client needs to turn a served vector back into float32 (docs/precision.md).
 *
 * @example
 * import { decodeVector } from 'embedline/precision';
 * const calibration = await (await fetch(`${base}/v1/models/all-MiniLM-L6-v2/quantization`)).json();
 * const v = decodeVector(Buffer.from(item.embedding, 'base64'), 'int8', 384, calibration.ranges);
 */
import type { VectorFormat } from './formats.js';
import { dequantize, fromLittleEndianBytes, type QuantizationRanges } from './quantize.js';

export { FORMAT_LAYOUT, VECTOR_FORMATS, isVectorFormat, type FormatLayout, type VectorFormat } from './formats.js';
export { dequantize, fromLittleEndianBytes, quantize, toLittleEndianBytes, type QuantizationRanges, type QuantizedData, type QuantizedVector } from './quantize.js';
export { fromHalf, toHalf } from './float16.js';

/**
 * A served vector's little-endian bytes (`encoding_format: "base64"`, result messages, .npy rows)
 * back to float32: `ranges` is the model's calibration (`GET /v1/models/{id}/quantization`), needed
 * for int16, int8 and uint8.
 */
export function decodeVector(bytes: Uint8Array, format: VectorFormat, dimensions: number, ranges?: QuantizationRanges): Float32Array {
  return dequantize(fromLittleEndianBytes(bytes, format, dimensions), ranges);
}
