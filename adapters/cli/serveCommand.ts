import type { Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { pluginRegistries, startEmbedline, type EmbedlineRuntime } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { createHttpServer } from '../http/createHttpServer.js';
import { startTracing } from '../otel/startTracing.js';
import { observerModule } from '../prometheus/observerModule.js';
import { PipelineMetrics } from '../prometheus/PipelineMetrics.js';
import { integerFlag } from './flagParsers.js';

/** `embedline serve`: listen first (health says loading), load the model, then report ready. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the OpenAI-compatible HTTP API (/v1/embeddings, /embed, /health, /metrics)')
    .option('--host <host>', 'bind address (default from config: 127.0.0.1)')
    .option('--port <port>', 'port, 0 for any free one (default from config: 8080)', integerFlag(0, 65535))
    .action(async (options: { host?: string; port?: number }) => {
      const config = loadConfig(process.env);
      // Before the runtime, so the first request is traced; a no-op with `tracing.exporter: none`.
      const tracing = startTracing(config.tracing);
      const metrics = new PipelineMetrics();
      let runtime: EmbedlineRuntime | undefined;
      const app = createHttpServer({ config, metrics, pipeline: () => runtime?.pipeline, pluginRegistries: () => (runtime ? pluginRegistries(runtime) : []) });
      const address = await app.listen({ host: options.host ?? config.http.host, port: options.port ?? config.http.port });
      process.stderr.write(`embedline: listening on ${address} (loading ${config.model.name})\n`);
      try {
        runtime = await startEmbedline(config, PLUGIN_CATALOGUE, [observerModule(metrics)]);
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
        await runtime?.close();
        await tracing.shutdown();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
}
