import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createResultSink } from '../../adapters/sinks/createResultSink.js';
import { inFlightTextBudget } from '../../adapters/sqs/inFlightBudget.js';
import { jsonLog, type JsonLog } from '../../adapters/sqs/jsonLog.js';
import { messageLimits } from '../../adapters/sqs/messageLimits.js';
import { startTracing, type Tracing } from '../../adapters/otel/startTracing.js';
import { MessageProcessor } from '../../adapters/sqs/MessageProcessor.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { ModelRegistry } from '../../core/models/ModelRegistry.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { SqsBatchHandler } from './SqsBatchHandler.js';

interface Started {
  readonly batch: SqsBatchHandler;
  readonly tracing: Tracing;
  readonly log: JsonLog;
}

let coldStart: Promise<Started> | undefined;

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
  const { batch, tracing, log } = await coldStart;
  try {
    return await batch.handle(event, context);
  } finally {
    // The environment may be frozen as soon as we return; batched spans would wait till the next event.
    await tracing.flush().catch((error: unknown) => log.warn('tracing.flush_failed', { error: String(error) }));
  }
}

async function start(): Promise<Started> {
  const config = withoutModelPull(loadConfig(process.env));
  const log = jsonLog(config.logLevel);
  const tracing = startTracing(config.tracing);
  // One runtime per served model; a message's `model` picks one, a lazy one loads on its first message.
  const models = ModelRegistry.fromConfig(config, PLUGIN_CATALOGUE);
  // A failed start is retried on the next event, which registers tracing again.
  await models.start().catch(async (error: unknown) => {
    await tracing.shutdown();
    throw error;
  });
  // Lambda sends SIGTERM before it shuts an environment down when an extension is registered:
  // close the runtimes then, so plugins' shutdown hooks run (the cache writes its last snapshot).
  process.once('SIGTERM', () => {
    void models
      .close()
      .catch((error: unknown) => log.warn('lambda.close_failed', { error: String(error) }))
      .finally(() => process.exit(0));
  });
  const sink = createResultSink(config);
  const processor = new MessageProcessor({ pipelineFor: async (model) => (await models.runtime(model)).pipeline, sink, limits: messageLimits(config), sinkRetry: { attempts: config.sqs.retryAttempts, baseMs: config.sqs.retryBaseMs }, log });
  const budget = inFlightTextBudget(config);
  if (budget.adjustment) log.warn('config.clamped', { adjustment: budget.adjustment });
  log.info('lambda.ready', { model: models.defaultId, models: models.ids, sink: sink.kind });
  return { batch: new SqsBatchHandler(processor, { maxInFlightTexts: budget.maxTexts, deadlineMarginMs: config.sqs.lambdaDeadlineMarginMs }, log), tracing, log };
}

/**
 * The model is baked into the image under EMBEDLINE_CACHE_DIR. Lambda's file system is read-only
 * outside /tmp, and a download would eat the invocation's timeout, so a missing model must fail
 * the cold start with EMBEDLINE_MODEL_NOT_FOUND rather than start a pull.
 */
function withoutModelPull(config: Readonly<EmbedlineConfig>): Readonly<EmbedlineConfig> {
  return Object.freeze({ ...config, model: Object.freeze({ ...config.model, autoPull: false }) });
}
