import { EmbedlineError } from '../../core/errors.js';
import type { Priority } from '../../core/pipeline/types.js';
import type { PrecisionPolicy, ResolvedPrecision } from '../../core/ports/PrecisionPolicy.js';
import type { Calibration } from '../../core/precision/calibration.js';
import { FORMAT_LAYOUT } from '../../core/precision/formats.js';
import { dequantize, quantize, type QuantizationRanges, type QuantizedVector } from '../../core/precision/quantize.js';
import { unknownPrecision } from '../../core/precision/unknownPrecision.js';
import type { PrecisionConfig } from './config.js';

/**
 * The precision plugin's policy: a request's explicit precision, else its priority's, looked up
 * in the configured table (one Map built at start, no per-request work beyond a lookup), and
 * the calibrated ranges of the model directory for int16/int8/uint8.
 *
 * @example
 * const router = new PrecisionRouter(config, calibration);
 * router.resolve(undefined, 'background'); // { name: 'int8', variant: 'int8', format: 'int8' }
 * router.resolve('binary', 'critical');   // { name: 'binary', variant: 'fp32', format: 'binary' }
 */
export class PrecisionRouter implements PrecisionPolicy {
  readonly names: readonly string[];
  private readonly table: ReadonlyMap<string, ResolvedPrecision>;
  private readonly byPriority: Readonly<Record<Priority, ResolvedPrecision>>;
  private readonly ranges: QuantizationRanges | undefined;

  constructor(config: PrecisionConfig, calibration: Calibration | undefined) {
    this.table = new Map(Object.entries(config.precisions).map(([name, p]) => [name, Object.freeze({ name, ...p })]));
    this.names = [...this.table.keys()];
    const lookup = (name: string): ResolvedPrecision => this.table.get(name)!;
    this.byPriority = { critical: lookup(config.priorities.critical), normal: lookup(config.priorities.normal), background: lookup(config.priorities.background) };
    const needRanges = this.names.filter((name) => FORMAT_LAYOUT[this.table.get(name)!.format].calibrated);
    if (needRanges.length > 0 && !calibration) {
      throw new EmbedlineError(
        'EMBEDLINE_CONFIG',
        `The precision plugin serves ${needRanges.join(', ')}, which need the model's calibrated ranges, and the model directory has no quantization.json: run \`embedline model calibrate --texts FILE\` (≥ 10,000 real texts), or configure pluginOptions.precision.precisions without calibrated formats.`,
        { precisions: needRanges },
      );
    }
    this.ranges = calibration?.ranges;
  }

  resolve(requested: string | undefined, priority: Priority): ResolvedPrecision {
    if (requested === undefined) return this.byPriority[priority];
    const found = this.table.get(requested);
    if (!found) throw unknownPrecision(requested, this.names);
    return found;
  }

  format(vector: Float32Array, precision: ResolvedPrecision): QuantizedVector {
    return quantize(vector, precision.format, this.ranges);
  }

  dequantize(vector: QuantizedVector): Float32Array {
    return dequantize(vector, this.ranges);
  }
}
