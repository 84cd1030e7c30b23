/**
 * Features of one batch, scaled so that a typical batch (32 rows of 128 tokens) gives values
 * near 1: recursive least squares stays well conditioned when its inputs share a scale.
 *
 * Why these four: a transformer encoder's cost is a fixed dispatch cost (1), per-row work
 * outside the layers (pooling, normalising, copying the vector back: rows), the dense layers
 * (Q/K/V/output projections and the feed-forward block touch every padded token once:
 * rows × len) and attention scores and their softmax (every token against every other:
 * rows × len²). A linear model over exactly these terms extrapolates to batch shapes it has not
 * seen yet, which a tree ensemble cannot, and learns from a few dozen batches.
 */
export function batchFeatures(rows: number, seqLen: number): [number, number, number, number] {
  return [1, rows / 32, (rows * seqLen) / 4096, (rows * seqLen * seqLen) / 524_288];
}

const FEATURES = 4;
/**
 * The "no prior knowledge" covariance. Scaled features are small (x / observed ms), so it must be
 * large for the prior not to bias the fit.
 */
const PRIOR = 1e8;

/** What the model keeps between restarts. */
export interface LatencyModelState {
  readonly weights: readonly number[];
  /** Inverse correlation matrix, row-major 4 × 4. */
  readonly covariance: readonly number[];
  readonly samples: number;
}

/**
 * Online latency model: recursive least squares with exponential forgetting over
 * `batchFeatures`, in relative error (each sample weighted by 1 / observed²). Each update is O(16) arithmetic, so it runs inside `record()`.
 *
 * @example
 * const model = new LatencyModel(0.999);
 * model.update(32, 64, 41.5);
 * model.predict(16, 64); // ms, once it has seen a few shapes
 */
export class LatencyModel {
  private weights: number[];
  private covariance: number[];
  private count: number;

  constructor(
    private readonly forgetting: number,
    state?: LatencyModelState,
  ) {
    this.weights = state ? [...state.weights] : new Array<number>(FEATURES).fill(0);
    // A large initial covariance says "no prior knowledge": the first samples dominate.
    this.covariance = state ? [...state.covariance] : identity(PRIOR);
    this.count = state?.samples ?? 0;
  }

  get samples(): number {
    return this.count;
  }

  /** Predicted milliseconds for a batch of `rows` texts padded to `seqLen`; never below 0. */
  predict(rows: number, seqLen: number): number {
    return Math.max(0, dot(this.weights, batchFeatures(rows, seqLen)));
  }

  /**
   * Learns one batch. The sample is weighted by 1 / observed², so the fit minimises squared
   * relative error, the quantity MAPE measures: unweighted, the few long batches dominate and a
   * 5 ms batch predicted at 15 ms costs the fit almost nothing.
   */
  update(rows: number, seqLen: number, observedMs: number): void {
    const scale = 1 / Math.max(observedMs, 1e-3);
    const x = batchFeatures(rows, seqLen).map((v) => v * scale);
    const px = multiply(this.covariance, x);
    const gainDenominator = this.forgetting + dot(x, px);
    const gain = px.map((v) => v / gainDenominator);
    const error = 1 - dot(this.weights, x); // the scaled target: observedMs × scale
    this.weights = this.weights.map((w, i) => w + gain[i]! * error);
    // P ← (P − k·(xᵀP)) / λ; P is symmetric, so xᵀP is px transposed. Forgetting divides by λ only
    // while P is no wider than the prior: batches of one shape for hours (an idle server sending
    // single texts) would otherwise grow P without bound in the directions they never excite
    // ("covariance windup"), and the next batch of another shape would throw the weights off.
    const lambda = trace(this.covariance) < FEATURES * PRIOR ? this.forgetting : 1;
    this.covariance = this.covariance.map((p, cell) => (p - gain[Math.floor(cell / FEATURES)]! * px[cell % FEATURES]!) / lambda);
    this.count++;
  }

  /**
   * Forgets how sure it is, keeping what it believes: the covariance goes back to the prior and
   * the weights stay. The next batches then move the fit as much as the first ones did, starting
   * from the old weights rather than from zero. Called when the cost curve has shifted.
   */
  reopen(): void {
    this.covariance = identity(PRIOR);
  }

  state(): LatencyModelState {
    return { weights: [...this.weights], covariance: [...this.covariance], samples: this.count };
  }
}

function identity(scale: number): number[] {
  return Array.from({ length: FEATURES * FEATURES }, (_, cell) => (cell % (FEATURES + 1) === 0 ? scale : 0));
}

function trace(matrix: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < FEATURES; i++) sum += matrix[i * (FEATURES + 1)]!;
  return sum;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function multiply(matrix: readonly number[], vector: readonly number[]): number[] {
  return Array.from({ length: FEATURES }, (_, row) => dot(matrix.slice(row * FEATURES, (row + 1) * FEATURES), vector));
}
