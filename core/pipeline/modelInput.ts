import { EmbedlineError } from '../errors.js';
import type { ModelDefinition } from '../model/modelDefinition.js';
import type { EmbedOptions } from './types.js';

/** The prompt names an `inputType` maps to, first present wins (sentence-transformers' usual names). */
const INPUT_TYPE_PROMPTS: Readonly<Record<NonNullable<EmbedOptions['inputType']>, readonly string[]>> = {
  query: ['query'],
  document: ['passage', 'document', 'text'],
};

export interface ResolvedPrompt {
  /** The prompt's name, undefined when no prompt applies. */
  readonly name: string | undefined;
  /** Prefixed to every input ('' when no prompt applies). */
  readonly text: string;
}

const NO_PROMPT: ResolvedPrompt = Object.freeze({ name: undefined, text: '' });

/**
 * The prompt a request's `promptName` / `inputType` selects on this model, else the model's
 * default prompt, else none. An unknown prompt name, an inputType that is not query/document, or
 * the two fields naming different prompts is EMBEDLINE_BAD_INPUT. A model without prompts ignores
 * inputType (its inputs are embedded as they are) but still refuses a promptName.
 *
 * @example
 * resolvePrompt(e5.definition, 'e5-small-v2', { inputType: 'query' }); // { name: 'query', text: 'query: ' }
 */
export function resolvePrompt(definition: Pick<ModelDefinition, 'prompts' | 'defaultPromptName'>, model: string, options: Pick<EmbedOptions, 'promptName' | 'inputType'>): ResolvedPrompt {
  const { prompts } = definition;
  const names = Object.keys(prompts);
  const known = names.length > 0 ? `its prompts are ${names.map((n) => JSON.stringify(n)).join(', ')}` : 'it has no prompts';
  const { promptName, inputType } = options;
  if (promptName !== undefined && (typeof promptName !== 'string' || !Object.hasOwn(prompts, promptName))) {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `Model ${model} has no prompt named ${JSON.stringify(promptName)}; ${known}.`, { model, promptName, prompts: names });
  }
  if (inputType !== undefined && !Object.hasOwn(INPUT_TYPE_PROMPTS, inputType)) {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `input_type must be "query" or "document", got ${JSON.stringify(inputType)}.`, { model, inputType });
  }
  const typed = inputType === undefined ? undefined : INPUT_TYPE_PROMPTS[inputType].find((name) => Object.hasOwn(prompts, name));
  if (promptName !== undefined) {
    if (inputType !== undefined && names.length > 0 && typed !== promptName) {
      const meaning = typed === undefined ? 'no prompt' : `the prompt ${JSON.stringify(typed)}`;
      throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `prompt_name ${JSON.stringify(promptName)} and input_type ${JSON.stringify(inputType)} disagree: on model ${model} input_type ${JSON.stringify(inputType)} means ${meaning}; send one of them.`, { model, promptName, inputType });
    }
    return { name: promptName, text: prompts[promptName]! };
  }
  if (inputType !== undefined && names.length > 0) return typed === undefined ? NO_PROMPT : { name: typed, text: prompts[typed]! };
  const fallback = definition.defaultPromptName;
  return fallback === undefined ? NO_PROMPT : { name: fallback, text: prompts[fallback]! };
}

/**
 * The texts as the model's tokenizer gets them: the prompt prefixed, then lower-cased when the
 * model's sentence_bert_config.json says do_lower_case (as sentence-transformers does, prompt included).
 */
export function modelInputs(texts: readonly string[], prompt: ResolvedPrompt, doLowerCase: boolean): readonly string[] {
  if (prompt.text === '' && !doLowerCase) return texts;
  return texts.map((text) => (doLowerCase ? `${prompt.text}${text}`.toLowerCase() : `${prompt.text}${text}`));
}
