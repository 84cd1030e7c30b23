import { loadConfig } from '../../core/config/loadConfig.js';
import { modelStoreFor } from '../../core/model/modelSources.js';

/** The configured model's directory (pulled if missing). */
export async function realModelDir(): Promise<string> {
  const config = loadConfig(process.env);
  const { store, sources } = modelStoreFor(config);
  return store.ensure(config.model.name, sources);
}
