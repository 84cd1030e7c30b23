import type { EmbedlineConfig } from '../../../core/config/schema.js';
import type { PluginCatalogue } from '../../../core/plugin.js';
import { ModelRegistry } from '../../../core/models/ModelRegistry.js';
import { pluginRegistries } from '../../../core/runtime.js';
import { metricsPage } from '../../prometheus/mergeExposition.js';
import { ModelMetrics } from '../../prometheus/ModelMetrics.js';
import { observerModule } from '../../prometheus/observerModule.js';
import { PipelineMetrics } from '../../prometheus/PipelineMetrics.js';
import { createResultSink } from '../../sinks/createResultSink.js';
import { createSqsClient } from '../createSqsClient.js';
import type { JsonLog } from '../jsonLog.js';
import { messageLimits } from '../messageLimits.js';
import { MessageProcessor } from '../MessageProcessor.js';
import { inspectQueue } from './inspectQueue.js';
import { startMetricsServer } from './metricsServer.js';
import { SqsWorker, type DrainReport } from './SqsWorker.js';
import { VisibilityHeartbeat } from './VisibilityHeartbeat.js';
import { WorkerMetrics } from './WorkerMetrics.js';
import { resolveWorkerSettings } from './WorkerSettings.js';

export interface WorkerOptions {
  readonly queueUrl: string;
  readonly metricsPort: number;
}

export interface RunningWorker {
  readonly metricsPort: number;
  /** Stops receiving, drains for at most `drainMs`, then closes the pipeline and the endpoint. */
  stop(drainMs: number): Promise<DrainReport>;
}

/**
 * Composes and starts the worker process: the metrics endpoint first (so health checks see
 * "starting" while the models load), then one pipeline per served model and the sink they share,
 * then the loop. A message's `model` picks its pipeline (a lazy one loads on its first message).
 *
 * @example
 * const worker = await startWorker(loadConfig(process.env), PLUGIN_CATALOGUE, { queueUrl, metricsPort: 9400 }, jsonLog('info'));
 * process.once('SIGTERM', () => void worker.stop(28_000));
 */
export async function startWorker(config: Readonly<EmbedlineConfig>, catalogue: PluginCatalogue, options: WorkerOptions, log: JsonLog): Promise<RunningWorker> {
  const { settings, adjustments } = resolveWorkerSettings(config, options.queueUrl);
  for (const adjustment of adjustments) log.warn('config.clamped', { adjustment });
  const sqs = createSqsClient(config.sqs);
  const heartbeat = new VisibilityHeartbeat(sqs, settings.queueUrl, settings.visibilityTimeoutSec, settings.heartbeatIntervalMs, log);
  const metrics = new WorkerMetrics(heartbeat);
  heartbeat.attach(metrics);
  const pipelineMetrics = new PipelineMetrics();
  const models = ModelRegistry.fromConfig(config, catalogue, (spec) => [observerModule(pipelineMetrics.forModel(spec.id))]);
  const modelMetrics = new ModelMetrics(models);
  const page = (): Promise<string> =>
    metricsPage([metrics.registry, pipelineMetrics.registry, modelMetrics.registry], models.loadedRuntimes().map(({ id, runtime }) => ({ model: id, registries: pluginRegistries(runtime) })), models.ids.length > 1);
  const server = await startMetricsServer(config.sqs.metricsHost, options.metricsPort, page, pipelineMetrics.registry.contentType);
  log.info('worker.metrics_listening', { host: config.sqs.metricsHost, port: server.port });
  try {
    await models.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  const sink = createResultSink(config);
  const processor = new MessageProcessor({ pipelineFor: async (model) => (await models.runtime(model)).pipeline, sink, limits: messageLimits(config), sinkRetry: settings.retry, log });
  const worker = new SqsWorker({ sqs, settings, processor, heartbeat, metrics, log });
  try {
    await inspectQueue(sqs, settings.queueUrl, settings.visibilityTimeoutSec, settings.retry, log);
  } catch (error) {
    await Promise.all([models.close(), server.close(), sink.close()]);
    throw error;
  }
  worker.start();
  server.setHealth('ready');
  log.info('worker.ready', { models: models.ids, queueUrl: settings.queueUrl, sink: sink.kind, maxInFlightMessages: settings.maxInFlightMessages, maxInFlightTexts: settings.maxInFlightTexts, visibilityTimeoutSec: settings.visibilityTimeoutSec, heartbeatIntervalMs: settings.heartbeatIntervalMs });
  return {
    metricsPort: server.port,
    async stop(drainMs) {
      server.setHealth('stopping');
      const report = await worker.stop(drainMs);
      await models.close();
      await sink.close();
      sqs.destroy();
      await server.close();
      return report;
    },
  };
}
