import type { Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { EmbedlineError } from '../../core/errors.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { startTracing, type Tracing } from '../otel/startTracing.js';
import { jsonLog } from '../sqs/jsonLog.js';
import { startWorker, type RunningWorker } from '../sqs/worker/startWorker.js';
import { EXIT } from './exitCodes.js';
import { withModelFlags } from '../../core/models/servedModels.js';
import { integerFlag, repeatedFlag } from './flagParsers.js';
import { UsageError } from './usageError.js';

interface WorkerFlags {
  queueUrl?: string;
  metricsPort?: number;
  model: string[];
}

/**
 * `embedline worker`: consume the requests queue until SIGTERM/SIGINT, then drain within
 * `sqs.shutdownGraceMs` and exit 0 (1 if messages had to be handed back unfinished).
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('embed messages from an SQS queue into the configured sink (docs/sqs.md); serves /metrics and /health')
    .option('--queue-url <url>', 'requests queue (default from config: EMBEDLINE_QUEUE_URL)')
    .option('--metrics-port <port>', 'port for /metrics and /health, 0 for any free one (default from config: 9400)', integerFlag(0, 65535))
    .option('--model <name>', 'serve this model (catalogue name or directory); repeat for several: a message\'s "model" picks one, the first takes messages that name none (default from config: models, else model.name)', repeatedFlag, [])
    .action(async (flags: WorkerFlags) => {
      const config = withModelFlags(loadConfig(process.env), flags.model);
      const queueUrl = flags.queueUrl || config.sqs.queueUrl;
      if (!queueUrl || !URL.canParse(queueUrl)) throw new UsageError(`worker needs a queue URL: pass --queue-url or set EMBEDLINE_QUEUE_URL (got "${queueUrl ?? ''}").`);
      const metricsPort = flags.metricsPort ?? config.sqs.metricsPort;
      const log = jsonLog(config.logLevel);
      const grace = config.sqs.shutdownGraceMs;
      // Leave time inside the grace period to hand unfinished messages back before the orchestrator's SIGKILL.
      const drainMs = grace - Math.min(2_000, Math.floor(grace / 10));
      let signalled: NodeJS.Signals | undefined;
      let worker: RunningWorker | undefined;
      let tracing: Tracing | undefined;
      const stop = async (signal: NodeJS.Signals): Promise<void> => {
        if (signalled) return;
        signalled = signal;
        const force = setTimeout(() => {
          log.error('worker.grace_exceeded', { graceMs: grace });
          process.exit(EXIT.failure);
        }, grace);
        force.unref();
        if (!worker) return; // still starting: stopped right after start-up finishes
        const startedAt = Date.now();
        log.info('worker.stopping', { signal, drainMs });
        const report = await worker.stop(drainMs);
        log.info('worker.stopped', { signal, ...report, durationMs: Date.now() - startedAt });
        await tracing?.shutdown().catch((error: unknown) => log.warn('tracing.flush_failed', { error: String(error) }));
        process.exit(report.abandoned === 0 ? EXIT.ok : EXIT.failure);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
      // Before the runtime, so the first message is traced; a no-op with `tracing.exporter: none`.
      tracing = startTracing(config.tracing);
      worker = await startWorker(config, PLUGIN_CATALOGUE, { queueUrl, metricsPort }, log);
      if (signalled) {
        const signal = signalled;
        signalled = undefined;
        await stop(signal);
      }
    });
}
