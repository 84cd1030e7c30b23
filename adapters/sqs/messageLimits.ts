import type { EmbedlineConfig } from '../../core/config/schema.js';
import type { MessageLimits } from './message/embedMessage.js';

/** The contract's limits from config, shared by the worker and the Lambda handler. */
export function messageLimits(config: Readonly<EmbedlineConfig>): MessageLimits {
  const { sqs } = config;
  return {
    maxTextsPerMessage: sqs.maxTextsPerMessage,
    maxTextChars: sqs.maxTextChars,
    maxMessageBytes: sqs.maxMessageBytes,
    model: config.model.name,
    defaultPriority: sqs.defaultPriority,
  };
}
