import type { CacheLog } from '../tokens.js';
import type { VectorCache } from '../VectorCache.js';
import { decodeSnapshot, encodeSnapshot } from './snapshotCodec.js';
import type { SnapshotSection } from './SnapshotSection.js';
import type { SnapshotStore } from './SnapshotStore.js';

/**
 * Snapshots of the in-process tier (and of any registered {@link SnapshotSection}) in a
 * {@link SnapshotStore} — a local file or an S3 object — so a new process (a restarted task, a
 * Lambda cold start) starts warm: loaded once before the first request, written every
 * `intervalMs` (the timer never holds the process open), on `save()` and, through the plugin's
 * shutdown hook, when the runtime closes. A snapshot that cannot be read (store down, no
 * object, not a snapshot) is one log line: the cache starts empty rather than the process failing.
 *
 * @example
 * const snapshots = new CacheSnapshots(cache, new FileSnapshotStore('/var/cache/embedline/cache.snapshot'), { intervalMs: 300_000, dimensions: 384 }, log);
 * await snapshots.load(); // entries restored
 * snapshots.start();
 * await snapshots.close(); // last snapshot written
 */
export class CacheSnapshots {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<number> | undefined;
  private readonly sections = new Map<string, SnapshotSection>();
  /** Section bytes loaded for names not registered yet. */
  private readonly unclaimed = new Map<string, Uint8Array>();

  constructor(
    private readonly cache: VectorCache,
    readonly store: SnapshotStore,
    private readonly opts: { readonly intervalMs: number; readonly dimensions: number },
    private readonly log: CacheLog,
  ) {}

  /** Restores the exact tier (and sections registered so far) from the store; resolves with how many entries. Never rejects. */
  async load(): Promise<number> {
    try {
      const bytes = await this.store.read();
      if (!bytes) {
        this.log(`cache: no snapshot at ${this.store.location} yet, starting empty`);
        return 0;
      }
      const { entries, sections } = decodeSnapshot(bytes, this.opts.dimensions, this.store.location);
      this.cache.restoreLocal(entries);
      for (const [name, data] of sections) this.unclaimed.set(name, data);
      await Promise.all([...this.sections.values()].map((section) => this.restore(section)));
      return entries.length;
    } catch (error) {
      this.log(`cache: snapshot ${this.store.location} not loaded, starting empty: ${describe(error)}`);
      return 0;
    }
  }

  /** Adds a part to every later snapshot; restores it now if the loaded snapshot had bytes under its name. */
  async register(section: SnapshotSection): Promise<void> {
    if (this.sections.has(section.name)) throw new Error(`cache: snapshot section "${section.name}" is registered twice`);
    this.sections.set(section.name, section);
    await this.restore(section);
  }

  /** Writes the live entries now (one write at a time; a second call shares the first's). Resolves with how many. */
  save(): Promise<number> {
    this.saving ??= (async () => {
      const entries = [...this.cache.localEntries()];
      const sections = await Promise.all([...this.sections.values()].map(async (s) => ({ name: s.name, bytes: await s.save() })));
      await this.store.write(encodeSnapshot(entries, this.opts.dimensions, sections));
      return entries.length;
    })().finally(() => (this.saving = undefined));
    return this.saving;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.save().catch((error: unknown) => this.log(`cache: snapshot to ${this.store.location} failed: ${describe(error)}`));
    }, this.opts.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops the timer, writes the last snapshot (rejects if that fails) and releases the store. */
  async close(): Promise<number> {
    this.stop();
    try {
      return await this.save();
    } finally {
      this.store.close?.();
    }
  }

  private async restore(section: SnapshotSection): Promise<void> {
    const bytes = this.unclaimed.get(section.name);
    if (!bytes) return;
    this.unclaimed.delete(section.name);
    try {
      await section.restore(bytes);
    } catch (error) {
      this.log(`cache: snapshot section "${section.name}" not restored, it starts empty: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  const name = (error as { name?: string }).name;
  const message = error instanceof Error ? error.message : String(error);
  return name && name !== 'Error' && !message.includes(name) ? `${name}: ${message}` : message;
}
