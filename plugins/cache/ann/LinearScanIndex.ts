import { assertDimensions, type Neighbour, type VectorIndex } from './VectorIndex.js';

/**
 * Exact search by scanning every vector: the fallback when faiss-node is not built, and fast
 * enough below some thousands of vectors (docs/BENCHMARKS.md). Vectors sit in one growing
 * Float32Array; removal moves the last vector into the hole, so storage stays dense.
 *
 * @example
 * const index = new LinearScanIndex(384);
 * index.add(1, vector);
 * index.search(vector, 1); // [{ id: 1, score: 1 }]
 */
export class LinearScanIndex implements VectorIndex {
  readonly kind = 'linear';
  private data: Float32Array;
  private readonly ids: number[] = [];
  private readonly slotOf = new Map<number, number>();

  constructor(readonly dimensions: number, initialCapacity = 1024) {
    this.data = new Float32Array(dimensions * initialCapacity);
  }

  get size(): number {
    return this.ids.length;
  }

  add(id: number, vector: Float32Array): void {
    assertDimensions(this, vector);
    if (this.slotOf.has(id)) throw new RangeError(`id ${id} is already in the index`);
    const slot = this.ids.length;
    if ((slot + 1) * this.dimensions > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(vector, slot * this.dimensions);
    this.ids.push(id);
    this.slotOf.set(id, slot);
  }

  remove(id: number): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      const d = this.dimensions;
      this.data.copyWithin(slot * d, last * d, (last + 1) * d);
      this.ids[slot] = this.ids[last]!;
      this.slotOf.set(this.ids[slot], slot);
    }
    this.ids.pop();
    this.slotOf.delete(id);
    return true;
  }

  /** Every id with its vector (a view into the index's storage: copy it to keep it past a change). */
  *entries(): IterableIterator<readonly [number, Float32Array]> {
    const d = this.dimensions;
    for (let slot = 0; slot < this.ids.length; slot++) yield [this.ids[slot]!, this.data.subarray(slot * d, (slot + 1) * d)];
  }

  search(query: Float32Array, k: number): Neighbour[] {
    assertDimensions(this, query);
    if (k <= 0) return [];
    const d = this.dimensions;
    // The best k so far, best first, kept by insertion: k is small, so no sort of every score.
    const best: Neighbour[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) {
      let dot = 0;
      for (let j = 0, o = slot * d; j < d; j++) dot += this.data[o + j]! * query[j]!;
      if (best.length === k) {
        if (dot <= best[k - 1]!.score) continue;
        best.pop();
      }
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < dot) at--;
      best.splice(at, 0, { id: this.ids[slot]!, score: dot });
    }
    return best;
  }
}
