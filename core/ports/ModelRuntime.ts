import type { ServiceIdentifier } from 'inversify';
import type { TextTokenizer } from '../encoder/TextTokenizer.js';
import type { ModelInfo } from '../model/modelInfo.js';

/**
 * The loaded model: its files and tokenizer. Bound as an async singleton (opening it may pull
 * the model), so the container resolves it with `getAsync`, once.
 *
 * @example
 * const { model, tokenizer } = await container.getAsync(MODEL_RUNTIME);
 */
export interface ModelRuntime {
  readonly model: ModelInfo;
  readonly tokenizer: TextTokenizer;
}

export const MODEL_RUNTIME: ServiceIdentifier<ModelRuntime> = Symbol.for('embedline.ModelRuntime');
