import { isEmbedlineError } from '../../core/errors.js';
import type { EmbedContext } from '../../core/pipeline/EmbedContext.js';
import type { WorkItem } from '../../core/pipeline/types.js';
import type { Batcher } from '../../core/ports/Batcher.js';
import type { PrecisionPolicy, ResolvedPrecision } from '../../core/ports/PrecisionPolicy.js';
import type { ResultStage } from '../../core/ports/ResultStage.js';
import { cosine } from '../../core/vectorMath.js';
import type { PrecisionMetrics } from './PrecisionMetrics.js';
import type { ShadowSampler } from './tokens.js';

/** How long a shadow text may wait in the background class before the batcher drops it. */
const SHADOW_DEADLINE_MS = 120_000;

/** One text to compare: the served vector (dequantized) and the fp32 vector's source. */
interface ShadowText {
  readonly served: Float32Array;
  readonly ids: Int32Array | undefined;
  readonly computed: Float32Array;
}

/**
 * The quality check of seed's "metric of quality before/after quantization": for a sampled
 * share of quantized requests, each text the model computed is compared with the fp32 model's
 * vector of the same text, cosine(dequantized served vector, fp32) into a histogram.
 *
 * Off the hot path: the stage only takes a snapshot; the work starts on a later turn of the
 * event loop, and texts served by another variant are re-run as background work items on the
 * fp32 variant, which the batcher serves after every waiting critical and normal text. The
 * response never waits for any of it; a full queue skips the check (counted), never the request.
 *
 * @example
 * bind(RESULT_STAGE).toConstantValue(new ShadowCheck(router, batcher, metrics, 1, Math.random));
 */
export class ShadowCheck implements ResultStage {
  readonly name = 'precision-shadow';
  /** Last: it looks at what every other stage left. */
  readonly order = 1_000;
  /** Checks started and not finished; `idle()` resolves when it is zero. */
  private running = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly policy: PrecisionPolicy,
    private readonly batcher: Batcher,
    private readonly metrics: PrecisionMetrics,
    private readonly sampleRate: number,
    private readonly sample: ShadowSampler,
  ) {}

  afterInference(ctx: EmbedContext): void {
    const served = ctx.served ? { ...ctx.served, variant: ctx.variant } : undefined;
    if (!served || (served.variant === 'fp32' && served.format === 'float32')) return;
    if (this.sampleRate <= 0 || this.sample() >= this.sampleRate) return;
    const texts: ShadowText[] = [];
    ctx.vectors.forEach((vector, i) => {
      if (!vector || ctx.sourceOf(i) !== 'computed') return;
      texts.push({ served: this.policy.dequantize(this.policy.format(vector, served)), ids: ctx.tokenIds[i], computed: vector });
    });
    if (texts.length === 0) return;
    this.running++;
    setImmediate(() => void this.check(served, texts, ctx.requestId).finally(() => this.finished()));
  }

  /** Resolves once every started check has recorded its samples (tests, shutdown). */
  idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  private async check(served: ResolvedPrecision, texts: readonly ShadowText[], requestId: string): Promise<void> {
    if (served.variant === 'fp32') {
      for (const t of texts) this.metrics.observeCosine(served.name, cosine(t.served, t.computed));
      return;
    }
    const rerun = texts.filter((t) => t.ids !== undefined);
    const now = Date.now();
    const results = rerun.map(() => {
      let settle!: { resolve: (v: Float32Array) => void; reject: (e: Error) => void };
      const promise = new Promise<Float32Array>((resolve, reject) => (settle = { resolve, reject }));
      return { promise, settle };
    });
    const items: WorkItem[] = rerun.map((t, k) => ({
      ids: t.ids!,
      priority: 'background',
      variant: 'fp32',
      enqueuedAt: now,
      deadline: now + SHADOW_DEADLINE_MS,
      requestId: `${requestId}:shadow`,
      isCancelled: () => false,
      resolve: (vector) => results[k]!.settle.resolve(vector),
      reject: (error) => results[k]!.settle.reject(error),
    }));
    try {
      this.batcher.submit(items);
    } catch (error) {
      // A full queue refuses with EMBEDLINE_OVERLOADED; a closing one (shutdown) with another code.
      this.metrics.skip(isEmbedlineError(error) && error.code === 'EMBEDLINE_OVERLOADED' ? 'overloaded' : 'failed', items.length);
      return;
    }
    const outcomes = await Promise.allSettled(results.map((r) => r.promise));
    outcomes.forEach((outcome, k) => {
      if (outcome.status === 'fulfilled') this.metrics.observeCosine(served.name, cosine(rerun[k]!.served, outcome.value));
      else this.metrics.skip('failed', 1);
    });
  }

  private finished(): void {
    this.running--;
    if (this.running > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}
