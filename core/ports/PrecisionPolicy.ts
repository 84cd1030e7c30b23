import type { ServiceIdentifier } from 'inversify';
import type { ModelVariant } from '../model/variants.js';
import type { Priority } from '../pipeline/types.js';
import type { VectorFormat } from '../precision/formats.js';
import type { QuantizedVector } from '../precision/quantize.js';

/** What a request is served at: the model variant that computes it and the format returned. */
export interface ResolvedPrecision {
  /** The precision's name, as reported back (`data[i].precision`, `X-Embedline-Precision`). */
  readonly name: string;
  readonly variant: ModelVariant;
  readonly format: VectorFormat;
}

/**
 * Turns a request's precision (its explicit choice, else its priority) into a model variant and
 * a vector format, and formats the fp32 vectors the variant produced. Core's default serves only
 * fp32/float32 (so a plain OpenAI client gets floats); the `precision` plugin rebinds it with the
 * named precisions and the per-priority mapping from its config.
 *
 * @example
 * const p = policy.resolve(undefined, 'background'); // { name: 'int8', variant: 'int8', format: 'int8' } with the plugin
 * const q = policy.format(vector, p);                // Int8Array(384)
 */
export interface PrecisionPolicy {
  /** Every precision name a request may ask for. */
  readonly names: readonly string[];
  /** Throws EMBEDLINE_UNKNOWN_PRECISION naming the valid ones for a name it does not serve. */
  resolve(requested: string | undefined, priority: Priority): ResolvedPrecision;
  format(vector: Float32Array, precision: ResolvedPrecision): QuantizedVector;
  /** Back to float32 (for quality checks): the inverse of `format` within its rounding error. */
  dequantize(vector: QuantizedVector): Float32Array;
}

export const PRECISION_POLICY: ServiceIdentifier<PrecisionPolicy> = Symbol.for('embedline.PrecisionPolicy');
