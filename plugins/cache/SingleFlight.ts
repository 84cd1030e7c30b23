/** A computation in progress that other requests may wait for. */
export interface Flight<V> {
  readonly owner: string;
  /** The leader's urgency: 0 is the most urgent (the index in PRIORITIES). */
  readonly rank: number;
  /** The leader's vector, or `undefined` when it failed or gave up (the follower computes it then). */
  readonly result: Promise<V | undefined>;
}

interface MutableFlight<V> extends Flight<V> {
  resolve(value: V | undefined): void;
}

/**
 * Concurrent identical misses computed once: the first request to miss a key leads it; later
 * ones may wait for its vector. Whether to wait is the caller's rule (see
 * {@link mayWaitFor}); this class only keeps the flights and who leads them.
 *
 * @example
 * const flights = new SingleFlight<Float32Array>();
 * if (flights.lead('k', 'req-1', 1)) { ...compute...; flights.finish('k', vector); }
 * else { const v = await flights.get('k')?.result; }
 */
export class SingleFlight<V> {
  private readonly flights = new Map<string, MutableFlight<V>>();
  private readonly byOwner = new Map<string, Set<string>>();

  get size(): number {
    return this.flights.size;
  }

  /** True when `owner` now leads `key`; false when another flight for it is already under way. */
  lead(key: string, owner: string, rank: number): boolean {
    if (this.flights.has(key)) return false;
    let resolve!: (value: V | undefined) => void;
    const result = new Promise<V | undefined>((r) => (resolve = r));
    this.flights.set(key, { owner, rank, result, resolve });
    let keys = this.byOwner.get(owner);
    if (!keys) this.byOwner.set(owner, (keys = new Set()));
    keys.add(key);
    return true;
  }

  get(key: string): Flight<V> | undefined {
    return this.flights.get(key);
  }

  /** Ends a flight, handing `value` to everyone waiting for it. */
  finish(key: string, value: V | undefined): void {
    const flight = this.flights.get(key);
    if (!flight) return;
    this.flights.delete(key);
    const keys = this.byOwner.get(flight.owner);
    keys?.delete(key);
    if (keys?.size === 0) this.byOwner.delete(flight.owner);
    flight.resolve(value);
  }

  /** Ends every flight `owner` still leads without a value (its request failed or is done). */
  abandon(owner: string): void {
    for (const key of [...(this.byOwner.get(owner) ?? [])]) this.finish(key, undefined);
  }
}

/**
 * Whether a follower may wait for `flight`: only for a leader at least as urgent as itself, so a
 * critical request never queues behind a background one.
 *
 * Waiting cannot deadlock as long as each request decides what it leads and what it follows in
 * one synchronous pass (CacheStage does): a request then follows only flights led in earlier
 * passes, so every chain of waits ends at a request that waits for nobody.
 */
export function mayWaitFor(flight: Flight<unknown>, followerRank: number): boolean {
  return flight.rank <= followerRank;
}
