import { z } from 'zod';

/** Where `embedline model calibrate` stores the ranges, inside the model directory. */
export const CALIBRATION_FILE = 'quantization.json';
/**
 * Bumped when the file's meaning changes. Version 2 added int16's own ranges; a version-1 file
 * is still read (int16 then uses the shared quantile ranges, as it did when it was written).
 */
export const CALIBRATION_VERSION = 2;
const READABLE_VERSIONS = [1, 2] as const;
/** Fewest texts a calibration may rest on (issue 12: quantiles over ≥ 10,000 real texts). */
export const MIN_CALIBRATION_TEXTS = 10_000;
/** Default quantiles: a dimension's range ignores its 0.1% most extreme values at either end. */
export const DEFAULT_QUANTILES = { lower: 0.001, upper: 0.999 } as const;
/**
 * int16's range: the corpus' full min..max of each dimension, widened by this share of its span
 * on either side. With 65,536 levels the step is tiny, so what costs int16 precision is clamping
 * a value outside its range; clipping the 0.1% tails as int8 does would throw that away.
 */
export const INT16_RANGE_MARGIN = 0.5;

const finiteArray = z.array(z.number().finite());
const rangePair = z.object({ min: finiteArray, max: finiteArray });

export const calibrationSchema = z.object({
  version: z.union(READABLE_VERSIONS.map((v) => z.literal(v))),
  model: z.string(),
  /** sha256 of the ONNX file whose vectors were measured: ranges belong to that model only. */
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/),
  variant: z.string(),
  dimensions: z.number().int().positive(),
  quantiles: z.object({ lower: z.number().min(0).max(0.5), upper: z.number().min(0.5).max(1) }),
  corpus: z.object({ description: z.string(), texts: z.number().int().positive(), sha256: z.string() }),
  createdAt: z.string(),
  /**
   * Per dimension: the lower and upper quantile of that dimension over the corpus vectors (int8,
   * uint8; int16 too in version 1), and from version 2 int16's own wider ranges.
   */
  ranges: rangePair.extend({ int16: rangePair.optional() }),
});

/**
 * Per-dimension ranges for the calibrated formats (int16, int8, uint8), versioned with the
 * model they were measured on.
 *
 * @example
 * const calibration = parseCalibration(JSON.parse(await readFile(join(dir, CALIBRATION_FILE), 'utf8')));
 */
export type Calibration = z.infer<typeof calibrationSchema>;

export function parseCalibration(json: unknown): Calibration {
  const calibration = calibrationSchema.parse(json);
  if (calibration.version >= 2 && !calibration.ranges.int16) throw new Error('a version-2 calibration needs ranges.int16');
  for (const [name, pair] of [['ranges', calibration.ranges], ['ranges.int16', calibration.ranges.int16]] as const) {
    if (!pair) continue;
    const { min, max } = pair;
    if (min.length !== calibration.dimensions || max.length !== calibration.dimensions) {
      throw new Error(`calibration ${name} have ${min.length}/${max.length} entries, expected ${calibration.dimensions}`);
    }
    if (min.some((m, i) => !(m < max[i]!))) throw new Error(`calibration ${name} has a dimension whose min is not below its max`);
  }
  return calibration;
}

/** Each dimension's min..max over `vectors`, widened by `margin` × its span on either side. */
export function widenedRanges(vectors: readonly Float32Array[], dims: number, margin = INT16_RANGE_MARGIN): { min: number[]; max: number[] } {
  if (vectors.length < 2) throw new RangeError('need at least two vectors to calibrate');
  const min: number[] = [];
  const max: number[] = [];
  for (let d = 0; d < dims; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const vector of vectors) {
      lo = Math.min(lo, vector[d]!);
      hi = Math.max(hi, vector[d]!);
    }
    const pad = Math.max(hi - lo, Number.EPSILON) * margin;
    min.push(lo - pad);
    max.push(hi + pad);
  }
  return { min, max };
}

/**
 * The `lower` and `upper` quantiles of each dimension over `vectors` (linear interpolation,
 * numpy's default), so a few outlying texts cannot stretch a range the way raw min/max would.
 */
export function quantileRanges(vectors: readonly Float32Array[], dims: number, quantiles: { lower: number; upper: number } = DEFAULT_QUANTILES): { min: number[]; max: number[] } {
  if (vectors.length < 2) throw new RangeError('need at least two vectors to calibrate');
  const column = new Float64Array(vectors.length);
  const min: number[] = [];
  const max: number[] = [];
  for (let d = 0; d < dims; d++) {
    for (let i = 0; i < vectors.length; i++) column[i] = vectors[i]![d]!;
    column.sort();
    min.push(quantileOfSorted(column, quantiles.lower));
    max.push(quantileOfSorted(column, quantiles.upper));
  }
  return { min, max };
}

function quantileOfSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
