import type { SpanContext } from '@opentelemetry/api';
import type { ModelVariant } from '../model/modelInfo.js';
import type { EmbeddingVector, Precision, Priority } from './types.js';

/**
 * One embed request as it moves through the stages. Request stages may settle texts (cache
 * hits) and pick the model variant; result stages see every text's fp32 vector and may set
 * the output precision and quantized forms.
 */
export class EmbedContext {
  readonly vectors: (Float32Array | undefined)[];
  /** Set by result stages (quantizer); defaults to plain fp32 vectors. */
  outputs: EmbeddingVector[] | undefined;
  variant: ModelVariant;
  precision: Precision = 'fp32';
  /** Per-text word-piece counts, filled before batching. */
  tokenCounts: number[] = [];
  /** Texts settled before batching (e.g. by a cache), for metrics. */
  settledEarly = 0;
  /** The request's span; its texts carry it into batches, whose spans link back to it. */
  spanContext: SpanContext | undefined;

  constructor(
    readonly requestId: string,
    readonly texts: readonly string[],
    readonly priority: Priority,
    defaultVariant: ModelVariant,
    readonly startedAt: number,
  ) {
    this.vectors = new Array(texts.length).fill(undefined);
    this.variant = defaultVariant;
  }

  /** Indexes of texts that still need inference. */
  pending(): number[] {
    const out: number[] = [];
    this.vectors.forEach((v, i) => {
      if (!v) out.push(i);
    });
    return out;
  }

  settle(index: number, vector: Float32Array): void {
    if (!this.vectors[index]) this.settledEarly++;
    this.vectors[index] = vector;
  }
}
