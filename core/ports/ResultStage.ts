import type { ServiceIdentifier } from 'inversify';
import type { EmbedContext } from '../pipeline/EmbedContext.js';

/**
 * Runs after inference, in ascending `order`, on a request whose texts all have fp32 vectors:
 * quantize to the request's precision, insert into a cache, and so on.
 *
 * @example
 * class QuantizeStage implements ResultStage {
 *   readonly name = 'quantize'; readonly order = 50;
 *   afterInference(ctx: EmbedContext) { ctx.precision = precisionFor(ctx.priority); }
 * }
 */
export interface ResultStage {
  readonly name: string;
  readonly order: number;
  afterInference(ctx: EmbedContext): Promise<void> | void;
}

export const RESULT_STAGE: ServiceIdentifier<ResultStage> = Symbol.for('embedline.ResultStage');
