import { assertDimensions, type Neighbour, type VectorIndex } from './VectorIndex.js';

/** The part of faiss-node's `IndexFlatIP` this index uses. */
export interface FaissFlatIP {
  ntotal(): number;
  add(x: number[]): void;
  search(x: number[], k: number): { distances: number[]; labels: number[] };
  removeIds(ids: number[]): number;
}

/**
 * FAISS's exact inner-product index (IndexFlatIP) through faiss-node. faiss-node 0.5 has no
 * add_with_ids, so FAISS labels are positions; FAISS compacts positions on removal keeping the
 * order of the rest, and `ids` mirrors that, mapping positions back to the caller's ids.
 *
 * @example
 * const index = new FaissFlatIndex(new faiss.IndexFlatIP(384), 384);
 * index.add(7, vector);
 * index.search(vector, 1); // [{ id: 7, score: 1 }]
 */
export class FaissFlatIndex implements VectorIndex {
  readonly kind = 'faiss-flat';
  private readonly ids: number[] = [];

  constructor(
    private readonly faiss: FaissFlatIP,
    readonly dimensions: number,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  add(id: number, vector: Float32Array): void {
    assertDimensions(this, vector);
    if (this.ids.includes(id)) throw new RangeError(`id ${id} is already in the index`);
    this.faiss.add(Array.from(vector));
    this.ids.push(id);
  }

  remove(id: number): boolean {
    const position = this.ids.indexOf(id);
    if (position < 0) return false;
    this.faiss.removeIds([position]);
    this.ids.splice(position, 1);
    return true;
  }

  search(query: Float32Array, k: number): Neighbour[] {
    assertDimensions(this, query);
    const wanted = Math.min(k, this.ids.length);
    if (wanted === 0) return [];
    const { distances, labels } = this.faiss.search(Array.from(query), wanted);
    return labels.map((position, i) => ({ id: this.ids[position]!, score: distances[i]! }));
  }
}
