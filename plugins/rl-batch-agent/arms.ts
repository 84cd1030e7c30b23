import type { BatchShape } from '../../core/ports/BatchSizePolicy.js';
import type { RlBatchAgentConfig } from './config.js';

/** One choice the agent can make: a batch shape with a stable key (for persisted state). */
export interface Arm {
  readonly key: string;
  readonly shape: BatchShape & { readonly maxPaddingRatio: number };
}

/** The static shape from `batching.*`, as the agent's safe arm. */
export interface StaticShape extends BatchShape {
  readonly maxPaddingRatio: number;
}

export function armKey(shape: StaticShape): string {
  return `${shape.maxBatchSize}/${shape.maxWaitMs}/${shape.maxPaddingRatio}`;
}

/**
 * The static arm first, then every combination of the configured lists. Each arm keeps the
 * static shape's padded tokens per row, so its token limit grows with its row limit.
 */
export function buildArms(config: Pick<RlBatchAgentConfig, 'arms'>, staticShape: StaticShape): Arm[] {
  const tokensPerRow = staticShape.maxBatchTokens / staticShape.maxBatchSize;
  const arms: Arm[] = [{ key: armKey(staticShape), shape: staticShape }];
  for (const maxBatchSize of config.arms.maxBatchSize) {
    for (const maxWaitMs of config.arms.maxWaitMs) {
      for (const maxPaddingRatio of config.arms.maxPaddingRatio) {
        const shape = { maxBatchSize, maxBatchTokens: Math.ceil(maxBatchSize * tokensPerRow), maxWaitMs, maxPaddingRatio };
        if (!arms.some((a) => a.key === armKey(shape))) arms.push({ key: armKey(shape), shape });
      }
    }
  }
  return arms;
}
