import type { EmbeddingResult, ResultFormat } from '../../core/ports/ResultSink.js';
import { npyHeader } from '../cli/embed/outputWriters.js';

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
  const lines = result.vectors.map((vector, index) =>
    JSON.stringify({ id: result.id, index, model: result.model, embedding: Array.from(vector), ...(result.metadata ? { metadata: result.metadata } : {}) }),
  );
  return { body: Buffer.from(`${lines.join('\n')}\n`, 'utf8'), contentType: 'application/x-ndjson', extension: 'jsonl' };
}

function encodeNpy(result: EmbeddingResult): EncodedResult {
  const dim = result.vectors[0]?.length ?? 0;
  const data = Buffer.alloc(result.vectors.length * dim * 4);
  result.vectors.forEach((vector, row) => {
    // Buffer writes are little-endian whatever the host, as the '<f4' header promises.
    for (let i = 0; i < dim; i++) data.writeFloatLE(vector[i]!, (row * dim + i) * 4);
  });
  return { body: Buffer.concat([npyHeader(result.vectors.length, dim), data]), contentType: 'application/octet-stream', extension: 'npy' };
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
    embeddings: result.vectors.map((vector) => float32ToBase64(vector)),
    ...(result.metadata ? { metadata: result.metadata } : {}),
  });
}

function float32ToBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes.toString('base64');
}
