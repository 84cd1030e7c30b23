import type { ContainerModule } from 'inversify';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import type { ModelVariant } from '../../core/model/modelInfo.js';
import { startEmbedline, type EmbedlineRuntime } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';

export interface BenchRuntimeSetup {
  readonly variant?: ModelVariant;
  readonly workers?: number;
  /** Intra-op threads per worker. */
  readonly threads?: number;
  readonly batching?: Partial<EmbedlineConfig['batching']>;
}

/**
 * The production runtime for a benchmark: the configured pipeline with the setup's variant,
 * workers and threads, no plugins (so results compare across machines' seed switches), and a
 * request timeout long enough for a whole sample sent as one request.
 *
 * @example
 * const runtime = await startBenchRuntime(loadConfig(process.env), { variant: 'fp32' });
 * const { vectors } = await runtime.pipeline.embed(texts);
 */
export function startBenchRuntime(base: Readonly<EmbedlineConfig>, setup: BenchRuntimeSetup = {}, modules: readonly ContainerModule[] = []): Promise<EmbedlineRuntime> {
  return startEmbedline(benchConfig(base, setup), PLUGIN_CATALOGUE, modules);
}

export function benchConfig(base: Readonly<EmbedlineConfig>, setup: BenchRuntimeSetup): EmbedlineConfig {
  return {
    ...base,
    plugins: [],
    pluginOptions: {},
    model: { ...base.model, variant: setup.variant ?? base.model.variant },
    encoder: { ...base.encoder, workers: setup.workers ?? base.encoder.workers, intraOpThreads: setup.threads ?? base.encoder.intraOpThreads },
    batching: { ...base.batching, requestTimeoutMs: 600_000, ...setup.batching },
  };
}

/** The texts' vectors in input order. */
export async function embedVectors(runtime: EmbedlineRuntime, texts: readonly string[]): Promise<Float32Array[]> {
  const { vectors } = await runtime.pipeline.embed(texts);
  return vectors.map((v) => v.values);
}
