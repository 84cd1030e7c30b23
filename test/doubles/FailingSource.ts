import type { ModelCatalogueEntry } from '../../core/model/catalogue.js';
import type { FetchedFile, ModelSource } from '../../core/model/sources/ModelSource.js';

/** A source that is unreachable, as the hub is on a registry-only network. */
export class FailingSource implements ModelSource {
  readonly name = 'unreachable';
  calls = 0;

  provides(entry: ModelCatalogueEntry): readonly string[] {
    return entry.required;
  }

  async fetch(): Promise<readonly FetchedFile[]> {
    this.calls++;
    throw new Error('getaddrinfo ENOTFOUND');
  }
}
