import type { ServiceIdentifier } from 'inversify';
import type { TextTokenizer } from '../encoder/TextTokenizer.js';
import type { ModelInfo } from '../model/modelInfo.js';

/**
 * The loaded model: its files and tokenizer. Resolved once at start (pulling the model if
 * allowed), before the container is built, so services receive it synchronously.
 *
 * @example
 * const { model, tokenizer } = container.get(MODEL_RUNTIME);
 */
export interface ModelRuntime {
  readonly model: ModelInfo;
  readonly tokenizer: TextTokenizer;
}

export const MODEL_RUNTIME: ServiceIdentifier<ModelRuntime> = Symbol.for('embedline.ModelRuntime');
