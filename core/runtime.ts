import type { Container, ContainerModule } from 'inversify';
import type { EmbedlineConfig } from './config/schema.js';
import { buildContainer } from './container.js';
import type { PluginCatalogue } from './plugin.js';
import { BATCHER, type Batcher } from './ports/Batcher.js';
import { DEVICE_SCHEDULER, type DeviceScheduler } from './ports/DeviceScheduler.js';
import { METRICS_REGISTRY, type MetricsRegistry } from './ports/MetricsRegistry.js';
import { ENCODE_PIPELINE, type EncodePipeline } from './pipeline/EncodePipeline.js';
import { SHUTDOWN_HOOKS } from './ports/ShutdownHook.js';
import { runShutdownHooks } from './runShutdownHooks.js';

/** A started pipeline and what its adapters need to run and stop it. */
export interface EmbedlineRuntime {
  readonly container: Container;
  readonly pipeline: EncodePipeline;
  readonly scheduler: DeviceScheduler;
  /**
   * Waits for everything accepted to finish, runs the plugins' shutdown hooks (SHUTDOWN_HOOKS:
   * each time-limited, failures logged), then stops the inference workers. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Builds the container, resolves the pipeline (loading the model) and starts the devices.
 * Callers — CLI, HTTP server, SQS worker, Lambda — do this once per process.
 *
 * @example
 * const runtime = await startEmbedline(loadConfig(process.env), PLUGIN_CATALOGUE);
 * const { vectors } = await runtime.pipeline.embed(['hello']);
 * await runtime.close();
 */
export async function startEmbedline(config: Readonly<EmbedlineConfig>, catalogue: PluginCatalogue, overrides: readonly ContainerModule[] = []): Promise<EmbedlineRuntime> {
  const container = buildContainer(config, catalogue, overrides);
  const pipeline = await container.getAsync(ENCODE_PIPELINE);
  const scheduler = await container.getAsync(DEVICE_SCHEDULER);
  const batcher: Batcher = await container.getAsync(BATCHER);
  // Resolved now, with the pipeline: resolving at close() could build a plugin's parts just to close them.
  const hooks = container.isBound(SHUTDOWN_HOOKS) ? await container.getAllAsync(SHUTDOWN_HOOKS) : [];
  await scheduler.start();
  let closing: Promise<void> | undefined;
  return {
    container,
    pipeline,
    scheduler,
    close: () =>
      (closing ??= (async () => {
        await batcher.drain();
        await runShutdownHooks(hooks);
        await scheduler.close();
      })()),
  };
}

/** Metrics registries that enabled plugins bound, for `/metrics` (read once per scrape). */
export function pluginRegistries(runtime: EmbedlineRuntime): readonly MetricsRegistry[] {
  return runtime.container.isBound(METRICS_REGISTRY) ? runtime.container.getAll(METRICS_REGISTRY) : [];
}
