import type { Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { ModelRegistry } from '../../core/models/ModelRegistry.js';
import { withModelFlags } from '../../core/models/servedModels.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { createHttpServer } from '../http/createHttpServer.js';
import { withHttpQueueLimits } from '../http/httpQueueLimits.js';
import { startTracing } from '../otel/startTracing.js';
import { observerModule } from '../prometheus/observerModule.js';
import { PipelineMetrics } from '../prometheus/PipelineMetrics.js';
import { integerFlag, repeatedFlag } from './flagParsers.js';

/** `embedline serve`: listen first (health says loading), load the models, then report ready. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the OpenAI-compatible HTTP API (/v1/embeddings, /embed, /health, /metrics)')
    .option('--host <host>', 'bind address (default from config: 127.0.0.1)')
    .option('--port <port>', 'port, 0 for any free one (default from config: 8080)', integerFlag(0, 65535))
    .option('--model <name>', 'serve this model (catalogue name or directory); repeat for several, the first answers requests that name none (default from config: models, else model.name)', repeatedFlag, [])
    .action(async (options: { host?: string; port?: number; model: string[] }) => {
      const config = withHttpQueueLimits(withModelFlags(loadConfig(process.env), options.model));
      // Before the runtime, so the first request is traced; a no-op with `tracing.exporter: none`.
      const tracing = startTracing(config.tracing);
      const metrics = new PipelineMetrics();
      // One runtime per served model, each observed under its own `model` label.
      const models = ModelRegistry.fromConfig(config, PLUGIN_CATALOGUE, (spec) => [observerModule(metrics.forModel(spec.id))]);
      const app = createHttpServer({ config, metrics, models });
      const address = await app.listen({ host: options.host ?? config.http.host, port: options.port ?? config.http.port });
      const described = models.specs.map((s) => `${s.id}${s.id === s.name ? '' : ` = ${s.name}`} ${s.variant}${s.lazy ? ' (lazy)' : ''}`).join(', ');
      process.stderr.write(`embedline: listening on ${address} (loading ${described})\n`);
      try {
        await models.start();
      } catch (error) {
        // A server that cannot start must exit (non-zero, via main) so ECS or systemd restarts or alerts, not answer 503 forever.
        await app.close();
        await tracing.shutdown();
        throw error;
      }
      process.stderr.write(`embedline: ready; plugins: ${config.plugins.join(', ') || '(none)'}; tracing: ${tracing.enabled ? `otlp to ${config.tracing.endpoint}` : 'off'}\n`);

      let stopping = false;
      const stop = async (signal: string): Promise<void> => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`embedline: ${signal}: draining in-flight requests\n`);
        const force = setTimeout(() => {
          process.stderr.write('embedline: grace period over, exiting with work unfinished\n');
          process.exit(1);
        }, config.http.shutdownGraceMs);
        force.unref();
        await app.close();
        await models.close();
        await tracing.shutdown();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
}
