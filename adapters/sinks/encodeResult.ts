import type { VectorFormat } from '../../core/precision/formats.js';
import type { QuantizedVector } from '../../core/precision/quantize.js';
import type { EmbeddingResult, ResultFormat } from '../../core/ports/ResultSink.js';
import { jsonlDocument, npyFile, quantizedToBase64, quantizedToJson, vectorFormat } from '../encoding/index.js';

/** The result message's `encoding` per format: base64 of the little-endian elements (docs/precision.md). */
export const MESSAGE_ENCODINGS: Readonly<Record<VectorFormat, string>> = {
  float32: 'base64-f32le',
  float16: 'base64-f16le',
  int16: 'base64-i16le',
  int8: 'base64-i8',
  uint8: 'base64-u8',
  binary: 'base64-i8-packedbits',
  ubinary: 'base64-u8-packedbits',
};

/** The result's vectors as served: the quantized ones when the pipeline gave them, else float32. */
function servedVectors(result: EmbeddingResult): readonly QuantizedVector[] {
  return result.quantized ?? result.vectors.map((data) => ({ format: 'float32' as const, dimensions: data.length, data }));
}

function formatOf(result: EmbeddingResult): VectorFormat {
  return result.precision?.format ?? 'float32';
}

/** `precision` on each row/message when the result says what was served. */
function precisionField(result: EmbeddingResult): { precision?: string } {
  return result.precision ? { precision: result.precision.name } : {};
}

/** An encoded result, ready to become a file or an object. */
export interface EncodedResult {
  readonly body: Buffer;
  readonly contentType: string;
  readonly extension: string;
}

/**
 * `jsonl`: one line per text, `{"id","index","model","embedding":[…],"precision"?,"metadata"?}`
 * (integers for the integer formats; metadata on every line, so each line stands alone). `npy`:
 * a (texts, elements) little-endian array in the served format's dtype (float32 `<f4`, int8
 * `|i1`, …; packed bits have ceil(dimensions / 8) columns), which has no room for metadata.
 *
 * @example
 * const { body, extension } = encodeResult(result, 'npy'); // extension === 'npy'
 */
export function encodeResult(result: EmbeddingResult, format: ResultFormat): EncodedResult {
  return format === 'npy' ? encodeNpy(result) : encodeJsonl(result);
}

function encodeJsonl(result: EmbeddingResult): EncodedResult {
  const rows = servedVectors(result).map((vector, index) => ({ id: result.id, index, model: result.model, embedding: quantizedToJson(vector), ...precisionField(result), ...(result.metadata ? { metadata: result.metadata } : {}) }));
  return { body: Buffer.from(jsonlDocument(rows), 'utf8'), contentType: 'application/x-ndjson', extension: 'jsonl' };
}

function encodeNpy(result: EmbeddingResult): EncodedResult {
  return { body: npyFile(vectorFormat(formatOf(result)), servedVectors(result).map((v) => v.data)), contentType: 'application/octet-stream', extension: 'npy' };
}

/**
 * The sqs sink's message body: vectors as base64 of their little-endian elements (2 KiB per
 * 384-d float32 vector instead of ~8 KiB of JSON numbers, 384 bytes as int8), so results of
 * ~100 texts fit in one SQS message. `encoding` names the element layout (MESSAGE_ENCODINGS);
 * `dimensions` stays the model's, also for packed bits.
 */
export function encodeResultMessage(result: EmbeddingResult): string {
  return JSON.stringify({
    v: 1,
    id: result.id,
    model: result.model,
    dimensions: result.vectors[0]?.length ?? 0,
    promptTokens: result.promptTokens,
    encoding: MESSAGE_ENCODINGS[formatOf(result)],
    ...precisionField(result),
    embeddings: servedVectors(result).map(quantizedToBase64),
    ...(result.metadata ? { metadata: result.metadata } : {}),
  });
}
