import type { EmbedContext } from '../../../core/pipeline/EmbedContext.js';
import type { Priority } from '../../../core/pipeline/types.js';
import type { RequestStage } from '../../../core/ports/RequestStage.js';
import type { ResultStage } from '../../../core/ports/ResultStage.js';
import { CACHE_SOURCE, type RequestKeys } from '../CacheStage.js';
import type { NearDuplicateMetrics } from './NearDuplicateMetrics.js';
import type { NearDuplicateTier } from './NearDuplicateTier.js';
import type { Sketch } from './Sketcher.js';
import type { WindowText } from './windowText.js';

/** The source a text served a near-duplicate's vector reports in `EmbedResult.sources`. */
export const NEAR_SOURCE = 'cache-near';

export interface NearDuplicateStageOptions {
  /** Priorities it may serve; never `critical` (the config schema refuses it, and so does this stage). */
  readonly priorities: ReadonlySet<Priority>;
  /** The model variant the calibration measured; requests running another variant are never served. */
  readonly variant: string;
}

/**
 * The near-duplicate tier in the pipeline, right after the exact cache stage. After tokenization
 * each text the exact tiers missed is sketched over its window's text (normalized, truncated);
 * for allowed priorities a neighbour at or above τ settles it with source `cache-near`. After
 * inference every text the model computed is added under its token key, so later requests of
 * any priority can be served from it (only true vectors are ever served: a text served a
 * near-duplicate is not added).
 *
 * @example
 * const stage = new NearDuplicateStage(tier, window, metrics, { priorities: new Set(['background']), variant: 'fp32' });
 * // bound as REQUEST_STAGE and RESULT_STAGE (index.ts), order 11: after CacheStage
 */
export class NearDuplicateStage implements RequestStage, ResultStage {
  readonly name = NEAR_SOURCE;
  readonly order = 11;

  constructor(
    readonly tier: NearDuplicateTier,
    private readonly window: WindowText,
    private readonly metrics: NearDuplicateMetrics,
    private readonly opts: NearDuplicateStageOptions,
  ) {}

  beforeBatch(ctx: EmbedContext): void {
    const keys = ctx.attributes.get(CACHE_SOURCE) as RequestKeys | undefined;
    if (!keys) return;
    const sketches = new Map<number, Sketch>();
    ctx.attributes.set(NEAR_SOURCE, sketches);
    const serves = ctx.priority !== 'critical' && this.opts.priorities.has(ctx.priority) && ctx.variant === this.opts.variant;
    let missed = 0;
    for (const i of ctx.pending()) {
      const ids = ctx.tokenIds[i];
      if (!ids || !keys.tokens.has(i)) continue;
      const sketch = this.tier.sketcher.sketch(this.window.of(ids));
      sketches.set(i, sketch);
      if (!serves) continue;
      const hit = this.tier.find(keys.prefix, sketch);
      if (!hit) {
        missed++;
        continue;
      }
      ctx.settle(i, hit.vector, NEAR_SOURCE);
      this.metrics.hit(ctx.priority, hit.similarity);
    }
    this.metrics.miss(ctx.priority, missed);
  }

  afterInference(ctx: EmbedContext): void {
    const keys = ctx.attributes.get(CACHE_SOURCE) as RequestKeys | undefined;
    const sketches = ctx.attributes.get(NEAR_SOURCE) as Map<number, Sketch> | undefined;
    if (!keys || !sketches) return;
    for (const [i, sketch] of sketches) {
      const key = keys.tokens.get(i);
      if (key && ctx.sourceOf(i) === 'computed') this.tier.add(keys.prefix, key, sketch);
    }
  }
}
