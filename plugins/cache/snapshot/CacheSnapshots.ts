import type { CacheLog } from '../tokens.js';
import type { VectorCache } from '../VectorCache.js';
import { readSnapshot, writeSnapshot } from './snapshotFile.js';

/**
 * Snapshots of the in-process tier on disk, so a restarted process (a new task, a Lambda cold
 * start with a mounted volume) starts warm: loaded once before the first request, written every
 * `intervalMs` (the timer never holds the process open) and on `save()`. A snapshot that cannot
 * be read is logged and ignored: the cache starts empty rather than the process failing.
 *
 * @example
 * const snapshots = new CacheSnapshots(cache, { path: '/var/cache/embedline/cache.snapshot', intervalMs: 300_000, dimensions: 384 }, log);
 * await snapshots.load(); // entries restored
 * snapshots.start();
 */
export class CacheSnapshots {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<number> | undefined;

  constructor(
    private readonly cache: VectorCache,
    private readonly opts: { readonly path: string; readonly intervalMs: number; readonly dimensions: number },
    private readonly log: CacheLog,
  ) {}

  async load(): Promise<number> {
    try {
      const entries = await readSnapshot(this.opts.path, this.opts.dimensions);
      if (entries) this.cache.restoreLocal(entries);
      return entries?.length ?? 0;
    } catch (error) {
      this.log(`cache: snapshot not loaded, starting empty: ${(error as Error).message}`);
      return 0;
    }
  }

  /** Writes the live entries now (one write at a time; a second call shares the first's). Resolves with how many. */
  save(): Promise<number> {
    this.saving ??= (async () => {
      const entries = [...this.cache.localEntries()];
      await writeSnapshot(this.opts.path, entries, this.opts.dimensions);
      return entries.length;
    })().finally(() => (this.saving = undefined));
    return this.saving;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.save().catch((error: Error) => this.log(`cache: snapshot to ${this.opts.path} failed: ${error.message}`));
    }, this.opts.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
