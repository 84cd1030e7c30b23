import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ModelCatalogueEntry } from '../catalogue.js';
import { sha256File } from '../fileDigest.js';
import type { FetchedFile, ModelSource } from './ModelSource.js';

export interface HubSourceOptions {
  /** Hub base URL; mirrors such as a corporate proxy go here. */
  readonly endpoint: string;
  readonly token?: string | undefined;
  readonly timeoutMs: number;
}

/** Downloads files from the Hugging Face hub's `resolve` endpoint, the path most users have. */
export class HubSource implements ModelSource {
  readonly name = 'huggingface-hub';

  constructor(private readonly options: HubSourceOptions) {}

  provides(entry: ModelCatalogueEntry): readonly string[] {
    return entry.hub.files;
  }

  async fetch(entry: ModelCatalogueEntry, wanted: readonly string[], modelDir: string): Promise<readonly FetchedFile[]> {
    const fetched: FetchedFile[] = [];
    for (const file of wanted) {
      const url = `${this.options.endpoint}/${entry.hub.repo}/resolve/${entry.hub.revision}/${file}`;
      const target = join(modelDir, file);
      await this.download(url, target);
      const { size } = await stat(target);
      fetched.push({ path: file, sha256: await sha256File(target), bytes: size, source: `${this.name}:${entry.hub.repo}@${entry.hub.revision}` });
    }
    return fetched;
  }

  private async download(url: string, target: string): Promise<void> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.options.timeoutMs) }).catch((error: Error) => {
      // undici hides the useful part (ENOTFOUND, ECONNREFUSED) in `cause`.
      const cause = (error.cause as { code?: string; message?: string } | undefined) ?? {};
      throw new Error(`GET ${url} failed: ${cause.code ?? cause.message ?? error.message}`);
    });
    if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
  }
}
