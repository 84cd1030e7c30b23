import type { EmbedlineConfig } from '../../../core/config/schema.js';
import type { PluginCatalogue } from '../../../core/plugin.js';
import { RESULT_SINK } from '../../../core/ports/ResultSink.js';
import { pluginRegistries, startEmbedline, type EmbedlineRuntime } from '../../../core/runtime.js';
import { observerModule } from '../../prometheus/observerModule.js';
import { PipelineMetrics } from '../../prometheus/PipelineMetrics.js';
import { sinkModule } from '../../sinks/createResultSink.js';
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
 * "starting" while the model loads), then the pipeline with the sink bound, then the loop.
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
  let runtime: EmbedlineRuntime | undefined;
  const server = await startMetricsServer(config.sqs.metricsHost, options.metricsPort, () => [metrics.registry, pipelineMetrics.registry, ...(runtime ? pluginRegistries(runtime) : [])]);
  log.info('worker.metrics_listening', { host: config.sqs.metricsHost, port: server.port });
  try {
    runtime = await startEmbedline(config, catalogue, [observerModule(pipelineMetrics), sinkModule(config)]);
  } catch (error) {
    await server.close();
    throw error;
  }
  const sink = runtime.container.get(RESULT_SINK);
  const processor = new MessageProcessor({ pipeline: runtime.pipeline, sink, limits: messageLimits(config), sinkRetry: settings.retry, log });
  const worker = new SqsWorker({ sqs, settings, processor, heartbeat, metrics, log });
  try {
    await inspectQueue(sqs, settings.queueUrl, settings.visibilityTimeoutSec, settings.retry, log);
  } catch (error) {
    await Promise.all([runtime.close(), server.close(), sink.close()]);
    throw error;
  }
  worker.start();
  server.setHealth('ready');
  log.info('worker.ready', { queueUrl: settings.queueUrl, sink: sink.kind, maxInFlightMessages: settings.maxInFlightMessages, maxInFlightTexts: settings.maxInFlightTexts, visibilityTimeoutSec: settings.visibilityTimeoutSec, heartbeatIntervalMs: settings.heartbeatIntervalMs });
  const started = runtime;
  return {
    metricsPort: server.port,
    async stop(drainMs) {
      server.setHealth('stopping');
      const report = await worker.stop(drainMs);
      await started.close();
      await sink.close();
      sqs.destroy();
      await server.close();
      return report;
    },
  };
}
