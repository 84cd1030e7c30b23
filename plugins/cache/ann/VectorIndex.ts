/** One search result: the id given to `add`, and its inner product with the query. */
export interface Neighbour {
  readonly id: number;
  readonly score: number;
}

/**
 * An index of vectors by integer id, searched by inner product (cosine for the model's
 * normalized vectors). Two implementations: FAISS through faiss-node when its addon is built
 * ({@link FaissFlatIndex}), and a linear scan otherwise ({@link LinearScanIndex});
 * {@link openVectorIndex} picks one.
 *
 * @example
 * const index = openVectorIndex(384, log);
 * index.add(7, vector);
 * index.search(query, 10); // [{ id: 7, score: 0.93 }, …], best first
 */
export interface VectorIndex {
  /** Which implementation answers: 'faiss-flat' or 'linear'. */
  readonly kind: string;
  readonly dimensions: number;
  readonly size: number;
  /** Adds a vector under a new id (an id already present throws). */
  add(id: number, vector: Float32Array): void;
  /** False when the id was not there. */
  remove(id: number): boolean;
  /** Up to k neighbours, best first; fewer when the index holds fewer. */
  search(query: Float32Array, k: number): Neighbour[];
}

export function assertDimensions(index: VectorIndex, vector: Float32Array): void {
  if (vector.length !== index.dimensions) throw new RangeError(`vector has ${vector.length} dimensions; this index holds ${index.dimensions}`);
}
