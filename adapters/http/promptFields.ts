import { EmbedlineError } from '../../core/errors.js';
import type { EmbedOptions } from '../../core/pipeline/types.js';
import { shownValue } from './requestLimits.js';

const INPUT_TYPES = ['query', 'document'] as const;

/**
 * The request's prompt choice as EmbedOptions take it: `input_type` ('query' | 'document', as
 * several hosted APIs name it) and `prompt_name` (sentence-transformers' and TEI's name for one of
 * the model's prompts). Only their types are checked here; the pipeline names the model's prompts
 * when a name is unknown.
 *
 * @example
 * promptOptionsFrom({ input_type: 'query' }); // { inputType: 'query' }
 */
export function promptOptionsFrom(body: { input_type?: unknown; prompt_name?: unknown }): Pick<EmbedOptions, 'inputType' | 'promptName'> {
  const { input_type: inputType, prompt_name: promptName } = body;
  if (inputType !== undefined && !(INPUT_TYPES as readonly unknown[]).includes(inputType)) {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `input_type must be "query" or "document"; got ${shownValue(inputType)}.`);
  }
  if (promptName !== undefined && (typeof promptName !== 'string' || promptName.length === 0 || promptName.length > 128)) {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `prompt_name must be the name of one of the model's prompts (a string of 1-128 characters); got ${shownValue(promptName)}.`);
  }
  return {
    ...(inputType === undefined ? {} : { inputType: inputType as (typeof INPUT_TYPES)[number] }),
    ...(promptName === undefined ? {} : { promptName: promptName as string }),
  };
}
