import { inject, injectable } from 'inversify';
import type { EmbedlineConfig } from '../config/schema.js';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import type { PrecisionPolicy, ResolvedPrecision } from '../ports/PrecisionPolicy.js';
import type { QuantizedVector } from './quantize.js';
import { unknownPrecision } from './unknownPrecision.js';

/** The one precision core serves on its own. */
export const FP32_PRECISION = 'fp32';

/**
 * Core's precision policy: every request runs on the configured model variant and gets float32
 * vectors, so a client that names no precision (a plain OpenAI client) gets floats it can use.
 * Naming any precision but `fp32` is a 400 that says to enable the `precision` plugin.
 *
 * @example
 * new Fp32PrecisionPolicy(config).resolve(undefined, 'background'); // { name: 'fp32', variant: 'fp32', format: 'float32' }
 */
@injectable()
export class Fp32PrecisionPolicy implements PrecisionPolicy {
  readonly names = [FP32_PRECISION] as const;
  private readonly served: ResolvedPrecision;

  constructor(@inject(EMBEDLINE_CONFIG) config: Readonly<EmbedlineConfig>) {
    this.served = { name: FP32_PRECISION, variant: config.model.variant, format: 'float32' };
  }

  resolve(requested: string | undefined): ResolvedPrecision {
    if (requested === undefined || requested === FP32_PRECISION) return this.served;
    throw unknownPrecision(requested, this.names, 'enable the precision plugin (plugins: [precision]) to serve int16, int8, binary and the other precisions');
  }

  format(vector: Float32Array): QuantizedVector {
    return { format: 'float32', dimensions: vector.length, data: vector };
  }

  dequantize(vector: QuantizedVector): Float32Array {
    return vector.data as Float32Array;
  }
}
