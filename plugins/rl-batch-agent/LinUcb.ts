/** One arm's learned statistics: A⁻¹ (row-major d × d), b, and how often it was played. */
export interface ArmStats {
  readonly inverse: readonly number[];
  readonly rewards: readonly number[];
  readonly pulls: number;
}

/** What `choose` found: the arm to play, and the arm with the best mean (the greedy choice). */
export interface Choice {
  readonly optimistic: number;
  readonly greedy: number;
}

/**
 * Disjoint LinUCB (Li et al., 2010): per arm a ridge regression of reward on the context;
 * play the arm with the highest mean + `width` × its standard error, arms never played first. A⁻¹ is kept directly and
 * updated with Sherman–Morrison, so a choice and an update are O(arms × d²) and O(d²).
 *
 * @example
 * const bandit = new LinUcb(3, 5, 0.5);
 * const { optimistic } = bandit.choose(context);
 * bandit.update(optimistic, context, reward);
 */
export class LinUcb {
  private readonly stats: { inverse: number[]; rewards: number[]; pulls: number }[];

  constructor(
    arms: number,
    private readonly dimensions: number,
    private readonly width: number,
    saved: readonly (ArmStats | undefined)[] = [],
  ) {
    this.stats = Array.from({ length: arms }, (_, i) => {
      const s = saved[i];
      return s ? { inverse: [...s.inverse], rewards: [...s.rewards], pulls: s.pulls } : { inverse: identity(dimensions), rewards: new Array<number>(dimensions).fill(0), pulls: 0 };
    });
  }

  choose(context: readonly number[]): Choice {
    let optimistic = 0;
    let greedy = 0;
    let bestBound = -Infinity;
    let bestMean = -Infinity;
    this.stats.forEach((arm, index) => {
      const ax = multiply(arm.inverse, context, this.dimensions);
      const mean = dot(multiply(arm.inverse, arm.rewards, this.dimensions), context);
      // An arm never played is tried before any other (its bound is unbounded), as in UCB1;
      // a finite prior would leave it untried whenever the played arms' rewards exceed it.
      const bound = arm.pulls === 0 ? Infinity : mean + this.width * Math.sqrt(Math.max(0, dot(context, ax)));
      if (bound > bestBound) [bestBound, optimistic] = [bound, index];
      // Only arms that were played have a mean worth trusting as "best".
      if (arm.pulls > 0 && mean > bestMean) [bestMean, greedy] = [mean, index];
    });
    return { optimistic, greedy };
  }

  /** The mean reward the model expects of an arm in a context. */
  mean(arm: number, context: readonly number[]): number {
    const s = this.stats[arm]!;
    return dot(multiply(s.inverse, s.rewards, this.dimensions), context);
  }

  /** Standard error of an arm's mean in a context, in units of the reward noise: small once it has been played there often. */
  uncertainty(arm: number, context: readonly number[]): number {
    const s = this.stats[arm]!;
    return Math.sqrt(Math.max(0, dot(context, multiply(s.inverse, context, this.dimensions))));
  }

  update(arm: number, context: readonly number[], reward: number): void {
    const s = this.stats[arm]!;
    const ax = multiply(s.inverse, context, this.dimensions);
    const denominator = 1 + dot(context, ax);
    // (A + xxᵀ)⁻¹ = A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x), A⁻¹ symmetric.
    s.inverse = s.inverse.map((v, cell) => v - (ax[Math.floor(cell / this.dimensions)]! * ax[cell % this.dimensions]!) / denominator);
    s.rewards = s.rewards.map((v, i) => v + reward * context[i]!);
    s.pulls++;
  }

  /**
   * Forgets: every arm's evidence is scaled by `keep` (A ← keep·A + (1 − keep)·I, b ← keep·b), so
   * old rewards count `keep` times less and each arm's confidence widens back towards the prior,
   * never past it (the identity stays). Discounted LinUCB (Russac et al., 2019) applies this with
   * `keep` = γ close to 1 after every decision; a detected shift applies it with a small `keep`.
   * A is recovered from A⁻¹ and inverted back: 5 × 5, once per decision, for a few dozen arms.
   */
  discount(keep: number): void {
    if (keep >= 1) return;
    const d = this.dimensions;
    for (const s of this.stats) {
      if (s.pulls === 0) continue;
      const a = invert(s.inverse, d).map((v, cell) => keep * v + (cell % (d + 1) === 0 ? 1 - keep : 0));
      s.inverse = invert(a, d);
      s.rewards = s.rewards.map((v) => keep * v);
    }
  }

  pulls(arm: number): number {
    return this.stats[arm]!.pulls;
  }

  snapshot(): ArmStats[] {
    return this.stats.map((s) => ({ inverse: [...s.inverse], rewards: [...s.rewards], pulls: s.pulls }));
  }
}

function identity(d: number): number[] {
  return Array.from({ length: d * d }, (_, cell) => (cell % (d + 1) === 0 ? 1 : 0));
}

/** Gauss–Jordan inverse of a d × d row-major matrix (symmetric positive definite here: A ≥ I). */
function invert(matrix: readonly number[], d: number): number[] {
  const m = [...matrix];
  const out = identity(d);
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let row = col + 1; row < d; row++) if (Math.abs(m[row * d + col]!) > Math.abs(m[pivot * d + col]!)) pivot = row;
    if (pivot !== col) {
      for (let k = 0; k < d; k++) {
        [m[col * d + k], m[pivot * d + k]] = [m[pivot * d + k]!, m[col * d + k]!];
        [out[col * d + k], out[pivot * d + k]] = [out[pivot * d + k]!, out[col * d + k]!];
      }
    }
    const p = m[col * d + col]!;
    for (let k = 0; k < d; k++) {
      m[col * d + k]! /= p;
      out[col * d + k]! /= p;
    }
    for (let row = 0; row < d; row++) {
      if (row === col) continue;
      const f = m[row * d + col]!;
      if (f === 0) continue;
      for (let k = 0; k < d; k++) {
        m[row * d + k]! -= f * m[col * d + k]!;
        out[row * d + k]! -= f * out[col * d + k]!;
      }
    }
  }
  return out;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function multiply(matrix: readonly number[], vector: readonly number[], d: number): number[] {
  const out = new Array<number>(d).fill(0);
  for (let row = 0; row < d; row++) for (let col = 0; col < d; col++) out[row]! += matrix[row * d + col]! * vector[col]!;
  return out;
}
