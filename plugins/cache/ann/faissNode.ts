/**
 * The part of faiss-node 0.5's API this plugin uses. faiss-node exposes no add_with_ids, no
 * IndexIDMap, and no setter for nprobe, efSearch or efConstruction; the last three are set by
 * editing FAISS's own serialized form ({@link ./faissParameters.ts}).
 */
export interface FaissHandle {
  ntotal(): number;
  isTrained(): boolean;
  train(x: number[]): void;
  add(x: number[]): void;
  /** k must not exceed ntotal (faiss-node throws); missing results are label -1. */
  search(x: number[], k: number): { distances: number[]; labels: number[] };
  removeIds(ids: number[]): number;
  toBuffer(): Buffer;
}

export interface FaissModule {
  IndexFlatIP: new (dimensions: number) => FaissHandle;
  Index: {
    fromFactory(dimensions: number, descriptor: string, metric: number): FaissHandle;
    fromBuffer(buffer: Buffer): FaissHandle;
  };
  MetricType: { METRIC_INNER_PRODUCT: number };
}
