import type { ServiceIdentifier } from 'inversify';
import type { EmbedContext } from '../pipeline/EmbedContext.js';

/**
 * Runs before inference, in ascending `order`, with two optional hooks:
 * - `beforeTokenize`: first of all; a text settled here (`ctx.settle(i, v, this.name)`) costs
 *   no tokenizer or model time (an exact cache on the text).
 * - `beforeBatch`: after the still-pending texts are tokenized (`ctx.tokenIds[i]` is set); a
 *   stage may settle more texts (a cache keyed on token ids) or set `ctx.variant`.
 * Texts still pending afterwards go to the batcher. A stage that throws fails the request with
 * EMBEDLINE_STAGE_FAILED naming it, unless it threw an EmbedlineError on purpose.
 */
export interface RequestStage {
  readonly name: string;
  readonly order: number;
  beforeTokenize?(ctx: EmbedContext): Promise<void> | void;
  beforeBatch?(ctx: EmbedContext): Promise<void> | void;
}

export const REQUEST_STAGE: ServiceIdentifier<RequestStage> = Symbol.for('embedline.RequestStage');
