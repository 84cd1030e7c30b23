import type { FaissHandle } from './faissNode.js';
import { LinearScanIndex } from './LinearScanIndex.js';
import { assertDimensions, type Neighbour, type VectorIndex } from './VectorIndex.js';

/** How to make the FAISS index of one approximate kind, empty and with its search parameters set. */
export interface AnnRecipe {
  readonly kind: 'faiss-ivf' | 'faiss-hnsw';
  /** Vectors gathered before the FAISS index is built (IVF trains on them); 0 = from the first. */
  readonly buildAt: number;
  /** An empty index ready for `add`; `training` are the vectors held so far (IVF trains on them). */
  create(training: Float32Array): FaissHandle;
}

/** Rebuild once removed vectors outnumber live ones (and at least this many). */
const MIN_DEAD_FOR_REBUILD = 1_024;
/** faiss-node copies a JS array element by element: add in slices to bound the copy. */
const ADD_CHUNK = 10_000;

/**
 * An approximate FAISS index (IVF or HNSW) that supports removal. faiss-node assigns labels
 * `ntotal, ntotal+1, …` on add and has no add_with_ids, so a label cannot be chosen; and HNSW
 * has no remove_ids (FAISS throws a C++ exception that aborts the process). IVF does have
 * remove_ids, but after one the next add would get a label still in use (ntotal went down). So
 * neither removes from FAISS: a removed vector's label is a tombstone, searches ask FAISS for
 * more and skip tombstones, and once tombstones outnumber live vectors the FAISS index is
 * rebuilt from the live ones. The live vectors are also kept in a {@link LinearScanIndex}: it
 * answers while an IVF index waits for enough vectors to train on, and is what a rebuild reads.
 *
 * @example
 * const index = new FaissAnnIndex(hnswRecipe(faiss, 384, spec.hnsw), 384);
 * index.add(7, vector);
 * index.remove(7); // true; the label is a tombstone until the next rebuild
 */
export class FaissAnnIndex implements VectorIndex {
  private readonly live: LinearScanIndex;
  private faiss: FaissHandle | undefined;
  /** id per FAISS label; -1 for a tombstone. */
  private idOfLabel: number[] = [];
  private readonly labelOf = new Map<number, number>();
  private rebuildCount = 0;

  constructor(
    private readonly recipe: AnnRecipe,
    readonly dimensions: number,
  ) {
    this.live = new LinearScanIndex(dimensions);
  }

  /** 'faiss-ivf' / 'faiss-hnsw'; 'linear' while an IVF index is still gathering training vectors. */
  get kind(): string {
    return this.faiss ? this.recipe.kind : 'linear';
  }

  get size(): number {
    return this.live.size;
  }

  /** Labels FAISS holds for removed vectors (searched past, dropped at the next rebuild). */
  get tombstones(): number {
    return this.idOfLabel.length - this.labelOf.size;
  }

  /** How many times the FAISS index was built (the first build counts). */
  get builds(): number {
    return this.rebuildCount;
  }

  add(id: number, vector: Float32Array): void {
    assertDimensions(this, vector);
    this.live.add(id, vector);
    if (this.faiss) this.addToFaiss([[id, vector]]);
    else if (this.live.size >= this.recipe.buildAt) this.build();
  }

  remove(id: number): boolean {
    if (!this.live.remove(id)) return false;
    const label = this.labelOf.get(id);
    if (label !== undefined) {
      this.idOfLabel[label] = -1;
      this.labelOf.delete(id);
      if (this.tombstones >= Math.max(MIN_DEAD_FOR_REBUILD, this.live.size)) this.build();
    }
    return true;
  }

  search(query: Float32Array, k: number): Neighbour[] {
    assertDimensions(this, query);
    const wanted = Math.min(k, this.live.size);
    if (wanted <= 0) return [];
    if (!this.faiss) return this.live.search(query, wanted);
    const total = this.idOfLabel.length;
    const q = Array.from(query);
    // Ask for enough that `wanted` survive the tombstones at their current share; double until they do.
    let fetch = Math.min(total, Math.ceil((wanted * total) / this.live.size) + 8);
    for (;;) {
      const { distances, labels } = this.faiss.search(q, fetch);
      const found: Neighbour[] = [];
      for (let i = 0; i < labels.length && found.length < wanted; i++) {
        const id = labels[i]! < 0 ? -1 : this.idOfLabel[labels[i]!]!;
        if (id >= 0) found.push({ id, score: distances[i]! });
      }
      if (found.length >= wanted || fetch >= total) return found;
      fetch = Math.min(total, fetch * 2);
    }
  }

  /** A new FAISS index over the live vectors (first build, and after too many tombstones). */
  private build(): void {
    const entries = [...this.live.entries()];
    const training = new Float32Array(entries.length * this.dimensions);
    entries.forEach(([, v], i) => training.set(v, i * this.dimensions));
    this.faiss = this.recipe.create(training);
    this.idOfLabel = [];
    this.labelOf.clear();
    this.rebuildCount++;
    this.addToFaiss(entries);
  }

  private addToFaiss(entries: readonly (readonly [number, Float32Array])[]): void {
    const d = this.dimensions;
    for (let at = 0; at < entries.length; at += ADD_CHUNK) {
      const slice = entries.slice(at, at + ADD_CHUNK);
      const flat = new Array<number>(slice.length * d);
      slice.forEach(([, v], i) => {
        for (let j = 0; j < d; j++) flat[i * d + j] = v[j]!;
      });
      this.faiss!.add(flat);
      for (const [id] of slice) {
        this.labelOf.set(id, this.idOfLabel.length);
        this.idOfLabel.push(id);
      }
    }
  }
}
