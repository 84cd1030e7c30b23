import { MinHashSketcher } from './MinHashSketcher.js';
import type { NearDuplicateConfig } from './nearDuplicateConfig.js';
import { NgramSketcher } from './NgramSketcher.js';
import type { Sketcher } from './Sketcher.js';

export function createSketcher(config: Pick<NearDuplicateConfig, 'sketch' | 'ngram' | 'minhash'>): Sketcher {
  return config.sketch === 'minhash' ? new MinHashSketcher(config.minhash.n, config.minhash.permutations, config.minhash.bits) : new NgramSketcher(config.ngram.n, config.ngram.dimensions);
}
