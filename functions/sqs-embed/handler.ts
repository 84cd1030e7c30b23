import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sinkModule } from '../../adapters/sinks/createResultSink.js';
import { inFlightTextBudget } from '../../adapters/sqs/inFlightBudget.js';
import { jsonLog } from '../../adapters/sqs/jsonLog.js';
import { messageLimits } from '../../adapters/sqs/messageLimits.js';
import { MessageProcessor } from '../../adapters/sqs/MessageProcessor.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { RESULT_SINK } from '../../core/ports/ResultSink.js';
import { startEmbedline } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { SqsBatchHandler } from './SqsBatchHandler.js';

let coldStart: Promise<SqsBatchHandler> | undefined;

/**
 * The SQS-triggered Lambda (Dockerfile.lambda, `dist/functions/sqs-embed/handler.handler`).
 * The pipeline, model and sink are built once per execution environment, on the first event;
 * a failed start is retried on the next event instead of poisoning the environment.
 *
 * @example
 * // infra-cdk: new SqsEventSource(queue, { batchSize: 32, reportBatchItemFailures: true })
 * const { batchItemFailures } = await handler(event, context);
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  coldStart ??= start().catch((error: unknown) => {
    coldStart = undefined;
    throw error;
  });
  return (await coldStart).handle(event, context);
}

async function start(): Promise<SqsBatchHandler> {
  const config = withoutModelPull(loadConfig(process.env));
  const log = jsonLog(config.logLevel);
  const runtime = await startEmbedline(config, PLUGIN_CATALOGUE, [sinkModule(config)]);
  const sink = runtime.container.get(RESULT_SINK);
  const processor = new MessageProcessor({ pipeline: runtime.pipeline, sink, limits: messageLimits(config), sinkRetry: { attempts: config.sqs.retryAttempts, baseMs: config.sqs.retryBaseMs }, log });
  const budget = inFlightTextBudget(config);
  if (budget.adjustment) log.warn('config.clamped', { adjustment: budget.adjustment });
  log.info('lambda.ready', { model: config.model.name, sink: sink.kind });
  return new SqsBatchHandler(processor, { maxInFlightTexts: budget.maxTexts, deadlineMarginMs: config.sqs.lambdaDeadlineMarginMs }, log);
}

/**
 * The model is baked into the image under EMBEDLINE_CACHE_DIR. Lambda's file system is read-only
 * outside /tmp, and a download would eat the invocation's timeout, so a missing model must fail
 * the cold start with EMBEDLINE_MODEL_NOT_FOUND rather than start a pull.
 */
function withoutModelPull(config: Readonly<EmbedlineConfig>): Readonly<EmbedlineConfig> {
  return Object.freeze({ ...config, model: Object.freeze({ ...config.model, autoPull: false }) });
}
