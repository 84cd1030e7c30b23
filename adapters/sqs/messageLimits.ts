import type { EmbedlineConfig } from '../../core/config/schema.js';
import { servedModelSpecs } from '../../core/models/servedModels.js';
import type { MessageLimits } from './message/embedMessage.js';

/** The contract's limits from config, shared by the worker and the Lambda handler. */
export function messageLimits(config: Readonly<EmbedlineConfig>): MessageLimits {
  const { sqs } = config;
  return {
    maxTextsPerMessage: sqs.maxTextsPerMessage,
    maxTextChars: sqs.maxTextChars,
    maxMessageBytes: sqs.maxMessageBytes,
    // The served ids (config `models`, else `model.name`); the first is the default.
    model: servedModelSpecs(config)[0]!.id,
    models: servedModelSpecs(config).map((s) => s.id),
    defaultPriority: sqs.defaultPriority,
  };
}
