import { inject, injectable } from 'inversify';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import type { EmbedlineConfig } from '../config/schema.js';
import type { BatchShape, BatchSizePolicy } from '../ports/BatchSizePolicy.js';

/** The configured constants, every time: the default when no batch-size agent is enabled. */
@injectable()
export class StaticBatchSizePolicy implements BatchSizePolicy {
  private readonly shape: BatchShape;

  constructor(@inject(EMBEDLINE_CONFIG) config: Readonly<EmbedlineConfig>) {
    const { maxBatchSize, maxBatchTokens, maxWaitMs } = config.batching;
    this.shape = { maxBatchSize, maxBatchTokens, maxWaitMs };
  }

  next(): BatchShape {
    return this.shape;
  }

  record(): void {}
}
