import type { VectorIndex } from '../ann/VectorIndex.js';
import type { VectorCache } from '../VectorCache.js';
import type { Sketch, Sketcher } from './Sketcher.js';
import { SketchIndex } from './SketchIndex.js';

export interface NearDuplicateTierOptions {
  /** τ: the lowest sketch similarity served. */
  readonly threshold: number;
  readonly k: number;
  readonly linearBelow: number;
  readonly open: (dimensions: number) => VectorIndex;
}

export interface NearHit {
  readonly key: string;
  /** The neighbour's vector (a copy from the exact tier). */
  readonly vector: Float32Array;
  readonly similarity: number;
}

/** Told of each entry this instance adds from its own computation (the Redis Stream announces it). */
export type AddedListener = (scope: string, key: string, sketch: Sketch) => void;

/**
 * Sketches of exact-tier entries, one index per scope (model, variant, format, truncation: a
 * neighbour from another scope is never served). Entries are keyed by the exact tier's token
 * key and hold no vector: a hit reads the vector from the LRU, and an entry whose key left the
 * LRU (evicted, expired) leaves the index too — the LRU tells `forget`, and a lookup that finds
 * the LRU without it forgets it then.
 *
 * @example
 * const tier = new NearDuplicateTier(sketcher, { threshold: 0.95, k: 4, linearBelow: 2048, open }, cache);
 * tier.add(scope, 'k:9f…', sketch);
 * tier.find(scope, otherSketch); // { key: 'k:9f…', vector, similarity: 0.97 } or undefined
 */
export class NearDuplicateTier {
  private readonly scopes = new Map<string, SketchIndex>();
  private readonly scopeOf = new Map<string, string>();
  private readonly listeners: AddedListener[] = [];

  constructor(
    readonly sketcher: Sketcher,
    private readonly opts: NearDuplicateTierOptions,
    private readonly cache: VectorCache,
  ) {}

  get size(): number {
    return this.scopeOf.size;
  }

  get threshold(): number {
    return this.opts.threshold;
  }

  has(key: string): boolean {
    return this.scopeOf.has(key);
  }

  /** The index kind of a scope ('linear', 'faiss-flat'), undefined before its first entry. */
  indexKind(scope: string): string | undefined {
    return this.scopes.get(scope)?.kind;
  }

  onAdded(listener: AddedListener): void {
    this.listeners.push(listener);
  }

  /**
   * Adds the sketch of an entry that is in the exact tier under `key`. `origin` 'local' (this
   * instance computed it) tells the listeners; 'peer' (read off the stream) does not.
   */
  add(scope: string, key: string, sketch: Sketch, origin: 'local' | 'peer' = 'local'): boolean {
    if (this.scopeOf.has(key)) return false;
    let index = this.scopes.get(scope);
    if (!index) this.scopes.set(scope, (index = new SketchIndex(this.sketcher, this.opts)));
    index.add(key, sketch);
    this.scopeOf.set(key, scope);
    if (origin === 'local') for (const listener of this.listeners) listener(scope, key, sketch);
    return true;
  }

  /** Every entry with its scope (for the snapshot). */
  *entries(): IterableIterator<{ readonly scope: string; readonly key: string; readonly sketch: Sketch }> {
    for (const [scope, index] of this.scopes) for (const { key, sketch } of index.entries()) yield { scope, key, sketch };
  }

  /** The exact tier dropped `key`: its sketch goes too. */
  forget(key: string): void {
    const scope = this.scopeOf.get(key);
    if (scope === undefined) return;
    this.scopeOf.delete(key);
    this.scopes.get(scope)!.remove(key);
  }

  /** The most similar neighbour at or above τ whose vector the exact tier still holds. */
  find(scope: string, sketch: Sketch): NearHit | undefined {
    const index = this.scopes.get(scope);
    if (!index) return undefined;
    for (const { key, similarity } of index.search(sketch)) {
      if (similarity < this.opts.threshold) return undefined;
      const vector = this.cache.getLocal(key);
      if (vector) return { key, vector, similarity };
      // Not in the LRU any more (it tells us when it drops a key; this covers a store it refused).
      this.forget(key);
    }
    return undefined;
  }
}
