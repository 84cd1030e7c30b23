import type { ServiceIdentifier } from 'inversify';
import type { EmbedContext } from '../pipeline/EmbedContext.js';

/**
 * Runs after inference, in ascending `order`, on a request whose texts all have fp32 vectors
 * (`ctx.sourceOf(i)` says which the model computed): insert into a cache, format for the
 * requested precision (into `ctx.attributes`), and so on. A stage that throws fails the
 * request with EMBEDLINE_STAGE_FAILED naming it, unless it threw an EmbedlineError on purpose.
 */
export interface ResultStage {
  readonly name: string;
  readonly order: number;
  afterInference(ctx: EmbedContext): Promise<void> | void;
}

export const RESULT_STAGE: ServiceIdentifier<ResultStage> = Symbol.for('embedline.ResultStage');
