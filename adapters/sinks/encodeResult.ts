import type { EmbeddingResult, ResultFormat } from '../../core/ports/ResultSink.js';
import { jsonlDocument, npyFile, toBase64, toJsonValues, vectorFormat } from '../encoding/index.js';

const FLOAT32 = vectorFormat('float32');

/** An encoded result, ready to become a file or an object. */
export interface EncodedResult {
  readonly body: Buffer;
  readonly contentType: string;
  readonly extension: string;
}

/**
 * `jsonl`: one line per text, `{"id","index","model","embedding":[…],"metadata"?}` (metadata on
 * every line, so each line stands alone). `npy`: a (texts, dimensions) little-endian float32
 * array, which has no room for metadata.
 *
 * @example
 * const { body, extension } = encodeResult(result, 'npy'); // extension === 'npy'
 */
export function encodeResult(result: EmbeddingResult, format: ResultFormat): EncodedResult {
  return format === 'npy' ? encodeNpy(result) : encodeJsonl(result);
}

function encodeJsonl(result: EmbeddingResult): EncodedResult {
  const rows = result.vectors.map((vector, index) => ({ id: result.id, index, model: result.model, embedding: toJsonValues(vector), ...(result.metadata ? { metadata: result.metadata } : {}) }));
  return { body: Buffer.from(jsonlDocument(rows), 'utf8'), contentType: 'application/x-ndjson', extension: 'jsonl' };
}

function encodeNpy(result: EmbeddingResult): EncodedResult {
  return { body: npyFile(FLOAT32, result.vectors), contentType: 'application/octet-stream', extension: 'npy' };
}

/**
 * The sqs sink's message body: vectors as base64 little-endian float32 (2 KiB per 384-d vector
 * instead of ~8 KiB of JSON numbers), so results of ~100 texts fit in one SQS message.
 */
export function encodeResultMessage(result: EmbeddingResult): string {
  return JSON.stringify({
    v: 1,
    id: result.id,
    model: result.model,
    dimensions: result.vectors[0]?.length ?? 0,
    promptTokens: result.promptTokens,
    encoding: 'base64-f32le',
    embeddings: result.vectors.map((vector) => toBase64(vector)),
    ...(result.metadata ? { metadata: result.metadata } : {}),
  });
}
