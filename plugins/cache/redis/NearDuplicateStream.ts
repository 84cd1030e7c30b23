import { randomUUID } from 'node:crypto';
import type { NearDuplicateMetrics } from '../neardup/NearDuplicateMetrics.js';
import type { NearDuplicateTier } from '../neardup/NearDuplicateTier.js';
import type { Sketch } from '../neardup/Sketcher.js';
import type { VectorCache } from '../VectorCache.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisTier } from './RedisTier.js';

type Fields = (string | Buffer)[];
type XReadReply = [Buffer, [Buffer, Buffer[]][]][] | null;

/** The stream commands used, on ioredis clients (the shared tier's connection writes, a second one reads). */
export interface StreamConnection extends RedisConnection {
  xadd(key: string, ...args: Fields): Promise<string | null>;
  xreadBuffer(...args: (string | number)[]): Promise<XReadReply>;
  xrevrange(key: string, end: string, start: string, count: 'COUNT', n: number): Promise<[string, string[]][]>;
}

export function asStreamConnection(connection: RedisConnection): StreamConnection {
  const c = connection as Partial<StreamConnection>;
  if (typeof c.xadd !== 'function' || typeof c.xreadBuffer !== 'function' || typeof c.xrevrange !== 'function') throw new TypeError('the Redis connection has no stream commands');
  return connection as StreamConnection;
}

export interface NearDuplicateStreamOptions {
  /** `<keyPrefix>near:<sketch id>`: instances with other sketch settings use another stream. */
  readonly streamKey: string;
  readonly maxLen: number;
  readonly blockMs: number;
  /** Where this instance starts reading: the retained backlog or only what comes next. */
  readonly from: 'backlog' | 'new';
}

/** Entries one XREAD returns at most. */
const READ_COUNT = 256;
/** Pause after a failed read before trying again (the connection reconnects on its own). */
const RETRY_MS = 200;

/**
 * Near-duplicate entries shared through a Redis Stream. When this instance adds an entry it
 * computed, it announces it (XADD … MAXLEN ~ maxLen * o <instance> k <key> s <scope> x <sketch>
 * t <ms>) on the shared tier's connection, without waiting. A reader loop on a second connection
 * (XREAD BLOCK) adds peers' entries to this instance's index, first fetching each vector into
 * the in-process tier from the shared exact tier (an entry whose vector Redis no longer holds is
 * dropped), and records the lag (now − the entry's time). While Redis is down announcements are
 * skipped and reads fail and retry: the tier works locally; the shared tier's gauge and log line
 * say Redis is down. Reading resumes after the last entry it read; if the stream's newest entry
 * is older than that (Redis restarted empty, or the stream was deleted) it starts again at the
 * stream's beginning. What was trimmed away (MAXLEN) or announced while Redis was down is missed.
 *
 * @example
 * const stream = new NearDuplicateStream(asStreamConnection(conn), asStreamConnection(readerConn), tier, cache, shared, opts, metrics);
 * stream.start();
 * await stream.close();
 */
export class NearDuplicateStream {
  readonly instanceId = randomUUID();
  private lastId: string | undefined;
  private closed = false;
  private loop: Promise<void> | undefined;
  private readonly sends = new Set<Promise<void>>();
  private wasDown = false;

  constructor(
    private readonly writer: StreamConnection,
    private readonly reader: StreamConnection,
    private readonly tier: NearDuplicateTier,
    private readonly cache: VectorCache,
    private readonly shared: RedisTier,
    private readonly opts: NearDuplicateStreamOptions,
    private readonly metrics: NearDuplicateMetrics,
    private readonly now: () => number = Date.now,
  ) {
    // An 'error' listener must exist, or ioredis prints each failed reconnection; the shared tier reports Redis being down.
    reader.on('error', () => {});
    reader.on('close', () => (this.wasDown = true));
    tier.onAdded((scope, key, sketch) => this.announce(scope, key, sketch));
  }

  /** The id of the last entry read ('0-0' = from the start), undefined before the first read. */
  get position(): string | undefined {
    return this.lastId;
  }

  start(): void {
    this.loop ??= this.readLoop();
  }

  /** Resolves when every announcement sent so far was answered (or failed). */
  async whenSent(): Promise<void> {
    await Promise.all([...this.sends]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.whenSent();
    this.reader.disconnect();
    await this.loop;
  }

  private announce(scope: string, key: string, sketch: Sketch): void {
    if (!this.shared.up) return;
    const send = this.writer
      .xadd(this.opts.streamKey, 'MAXLEN', '~', String(this.opts.maxLen), '*', 'o', this.instanceId, 'k', key, 's', scope, 'x', this.tier.sketcher.encode(sketch), 't', String(this.now()))
      .then(
        () => this.metrics.announcement('sent'),
        () => this.metrics.streamError('announce'),
      );
    const tracked = send.finally(() => this.sends.delete(tracked));
    this.sends.add(tracked);
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      if (this.reader.status !== 'ready') {
        await sleep(RETRY_MS);
        continue;
      }
      try {
        if (this.lastId === undefined || this.wasDown) await this.resolvePosition();
        const reply = await this.reader.xreadBuffer('COUNT', READ_COUNT, 'BLOCK', this.opts.blockMs, 'STREAMS', this.opts.streamKey, this.lastId!);
        for (const [, entries] of reply ?? []) await this.receive(entries);
      } catch {
        if (this.closed) return;
        this.metrics.streamError('read');
        await sleep(RETRY_MS);
      }
    }
  }

  /** Where to read from: at start the backlog or the newest entry; after an outage, the last read unless the stream went back. */
  private async resolvePosition(): Promise<void> {
    const [newest] = await this.reader.xrevrange(this.opts.streamKey, '+', '-', 'COUNT', 1);
    const newestId = newest?.[0] ?? '0-0';
    if (this.lastId === undefined) this.lastId = this.opts.from === 'backlog' ? '0-0' : newestId;
    else if (compareIds(newestId, this.lastId) < 0) this.lastId = '0-0';
    this.wasDown = false;
  }

  private async receive(entries: [Buffer, Buffer[]][]): Promise<void> {
    const wanted: { key: string; scope: string; sketch: Sketch; at: number }[] = [];
    for (const [id, raw] of entries) {
      this.lastId = id.toString();
      const fields = new Map<string, Buffer>();
      for (let f = 0; f + 1 < raw.length; f += 2) fields.set(raw[f]!.toString(), raw[f + 1]!);
      if (fields.get('o')?.toString() === this.instanceId) continue;
      const key = fields.get('k')?.toString();
      const scope = fields.get('s')?.toString();
      const bytes = fields.get('x');
      const sketch = bytes ? this.tier.sketcher.decode(bytes) : undefined;
      if (!key || scope === undefined || !sketch) {
        this.metrics.announcement('dropped');
        continue;
      }
      if (!this.tier.has(key)) wanted.push({ key, scope, sketch, at: Number(fields.get('t')?.toString()) });
    }
    const missing = wanted.filter((w) => !this.cache.getLocal(w.key)).map((w) => w.key);
    // Fetched into the in-process tier, so the entry follows the LRU like this instance's own.
    if (missing.length > 0) await this.cache.getShared(missing);
    for (const { key, scope, sketch, at } of wanted) {
      if (!this.cache.getLocal(key)) {
        this.metrics.announcement('dropped');
        continue;
      }
      this.tier.add(scope, key, sketch, 'peer');
      this.metrics.announcement('added');
      if (Number.isFinite(at)) this.metrics.announcementLag((this.now() - at) / 1000);
    }
  }
}

/** Orders stream ids `<ms>-<seq>`. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
