import type { SpanContext } from '@opentelemetry/api';
import type { ModelVariant } from '../model/modelInfo.js';
import type { ResolvedPrecision } from '../ports/PrecisionPolicy.js';
import type { Priority } from './types.js';

/** Where a text's vector came from: the model, or the named stage that supplied it (a cache). */
export type VectorSource = 'computed' | (string & {});

/**
 * One embed request as it moves through the stages. Request stages may settle texts before
 * tokenization or batching (a cache hit) and may change the model variant the rest run on;
 * result stages see every text's fp32 vector and where it came from.
 */
export class EmbedContext {
  readonly vectors: (Float32Array | undefined)[];
  /** Per text: 'computed' once the model produced it, else the name of the stage that did. */
  private readonly sources: (VectorSource | undefined)[];
  /** Token ids of the texts that were still pending when the pipeline tokenized. */
  readonly tokenIds: (Int32Array | undefined)[];
  /** Per-text word-piece counts (0 for texts settled before tokenization). */
  tokenCounts: number[];
  variant: ModelVariant;
  /** Scratch space for stages of this request (cache keys, formatted outputs), keyed by stage. */
  readonly attributes = new Map<string, unknown>();
  /** The request's span; its texts carry it into batches, whose spans link back to it. */
  spanContext: SpanContext | undefined;

  constructor(
    readonly requestId: string,
    readonly texts: readonly string[],
    readonly priority: Priority,
    defaultVariant: ModelVariant,
    readonly startedAt: number,
    /** Epoch ms after which the request fails with EMBEDLINE_TIMEOUT. */
    readonly deadline: number,
    /** Aborts when the caller gives up or the deadline passes; stages doing I/O should honour it. */
    readonly signal: AbortSignal,
    /** The precision the caller asked for, as given; resolved by the PRECISION_POLICY into `served` before any stage runs. */
    readonly precision: string | undefined,
    /** What the precision policy resolved it to (its variant is `variant`'s starting value). */
    readonly served?: ResolvedPrecision,
  ) {
    this.vectors = new Array<Float32Array | undefined>(texts.length).fill(undefined);
    this.sources = new Array<VectorSource | undefined>(texts.length).fill(undefined);
    this.tokenIds = new Array<Int32Array | undefined>(texts.length).fill(undefined);
    this.tokenCounts = new Array<number>(texts.length).fill(0);
    this.variant = defaultVariant;
  }

  /** Indexes of texts that still need a vector. */
  pending(): number[] {
    const out: number[] = [];
    this.vectors.forEach((v, i) => {
      if (!v) out.push(i);
    });
    return out;
  }

  /** Records a text's vector and who supplied it; the first to settle a text wins. */
  settle(index: number, vector: Float32Array, source: VectorSource): void {
    if (this.vectors[index]) return;
    this.vectors[index] = vector;
    this.sources[index] = source;
  }

  sourceOf(index: number): VectorSource | undefined {
    return this.sources[index];
  }

  /** How many texts a stage (not the model) supplied. */
  get suppliedByStages(): number {
    return this.sources.filter((s) => s !== undefined && s !== 'computed').length;
  }
}
