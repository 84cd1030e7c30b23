import type { QuantizedVector } from '../../core/precision/quantize.js';
import { toBase64 } from './base64.js';
import { toJsonValues } from './json.js';
import { encodingOf } from './vectorFormats.js';

/**
 * A served vector (`EmbedResult.vectors[i].quantized`) as OpenAI's `encoding_format: "base64"`:
 * its format's little-endian element bytes (docs/precision.md, "Byte layout").
 *
 * @example
 * quantizedToBase64({ format: 'int8', dimensions: 2, data: Int8Array.of(-1, 2) }); // '/wI='
 */
export function quantizedToBase64(vector: QuantizedVector): string {
  return toBase64(vector.data, encodingOf(vector));
}

/** The numbers JSON carries: integers for the integer formats, float16's exact values. */
export function quantizedToJson(vector: QuantizedVector): number[] {
  return toJsonValues(vector.data, encodingOf(vector));
}
