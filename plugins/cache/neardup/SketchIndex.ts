import { LinearScanIndex } from '../ann/LinearScanIndex.js';
import type { VectorIndex } from '../ann/VectorIndex.js';
import type { Sketch, Sketcher } from './Sketcher.js';

export interface SketchCandidate {
  readonly key: string;
  /** The sketch design's own similarity (not the index's inner product). */
  readonly similarity: number;
}

export interface SketchIndexOptions {
  /** Candidates taken from the vector index before re-ranking. */
  readonly k: number;
  /** Below this many entries, a linear scan; at it, `open()` (FAISS when built). */
  readonly linearBelow: number;
  readonly open: (dimensions: number) => VectorIndex;
}

/**
 * The sketches of one scope's exact-tier entries, by their exact key: an id → entry map over a
 * vector index (faiss-node's flat index has no add_with_ids; this is the IDMap), so an entry
 * leaves the index when its exact entry leaves the LRU. Starts as a linear scan and moves to the
 * opened index once it holds `linearBelow` entries.
 *
 * @example
 * const index = new SketchIndex(sketcher, { k: 4, linearBelow: 2048, open: (d) => openVectorIndex(d, log) });
 * index.add('k:9f…', sketcher.sketch('hello world'));
 * index.search(sketcher.sketch('hello, world')); // [{ key: 'k:9f…', similarity: 0.8 }]
 */
export class SketchIndex {
  private index: VectorIndex;
  private readonly idOf = new Map<string, number>();
  private readonly byId = new Map<number, { readonly key: string; readonly sketch: Sketch }>();
  private nextId = 1;
  /** True once the index is the opened one (which may itself be a scan when FAISS is not built). */
  private opened: boolean;

  constructor(
    private readonly sketcher: Sketcher,
    private readonly opts: SketchIndexOptions,
  ) {
    this.opened = opts.linearBelow <= 0;
    this.index = this.opened ? opts.open(sketcher.dimensions) : new LinearScanIndex(sketcher.dimensions, 256);
  }

  get size(): number {
    return this.idOf.size;
  }

  /** 'linear', or the opened index's kind ('faiss-flat'). */
  get kind(): string {
    return this.index.kind;
  }

  has(key: string): boolean {
    return this.idOf.has(key);
  }

  /** False when the key is already there (its sketch is the same: a key names one window). */
  add(key: string, sketch: Sketch): boolean {
    if (this.idOf.has(key)) return false;
    const id = this.nextId++;
    this.index.add(id, sketch.vector);
    this.idOf.set(key, id);
    this.byId.set(id, { key, sketch });
    if (!this.opened && this.size >= this.opts.linearBelow) this.moveToOpened();
    return true;
  }

  /** Every entry, in the order added (for the snapshot). */
  *entries(): IterableIterator<{ readonly key: string; readonly sketch: Sketch }> {
    yield* this.byId.values();
  }

  remove(key: string): boolean {
    const id = this.idOf.get(key);
    if (id === undefined) return false;
    this.index.remove(id);
    this.idOf.delete(key);
    this.byId.delete(id);
    return true;
  }

  /** Up to k candidates by the index's inner product, re-ranked by the sketch similarity, best first. */
  search(sketch: Sketch): SketchCandidate[] {
    return this.index
      .search(sketch.vector, this.opts.k)
      .map(({ id }) => this.byId.get(id)!)
      .map(({ key, sketch: theirs }) => ({ key, similarity: this.sketcher.similarity(sketch, theirs) }))
      .sort((a, b) => b.similarity - a.similarity);
  }

  private moveToOpened(): void {
    this.opened = true;
    const opened = this.opts.open(this.sketcher.dimensions);
    // Without FAISS the fallback is a scan too: keep the one that is already filled. (An IVF
    // index that is not trained yet also reports 'linear', but it is FAISS's: move to it.)
    if (opened instanceof LinearScanIndex) return;
    for (const [id, { sketch }] of this.byId) opened.add(id, sketch.vector);
    this.index = opened;
  }
}
