import type { ServiceIdentifier } from 'inversify';
import type { EmbedContext } from '../pipeline/EmbedContext.js';

/**
 * Runs before batching, in ascending `order`. A stage may settle some texts itself (a cache
 * hit fills `ctx.vectors[i]`) or change how the rest run (the precision policy sets the model
 * variant). Texts still unsettled afterwards go to the batcher.
 *
 * @example
 * class ExactCacheStage implements RequestStage {
 *   readonly name = 'exact-cache'; readonly order = 10;
 *   async beforeBatch(ctx: EmbedContext) { ctx.pending().forEach((i) => { const v = this.lru.get(ctx.texts[i]); if (v) ctx.settle(i, v); }); }
 * }
 */
export interface RequestStage {
  readonly name: string;
  readonly order: number;
  beforeBatch(ctx: EmbedContext): Promise<void> | void;
}

export const REQUEST_STAGE: ServiceIdentifier<RequestStage> = Symbol.for('embedline.RequestStage');
