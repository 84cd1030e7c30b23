/**
 * Vector index lookups (issue 13 item 7, first half): build time, search latency and recall@10
 * against exact search, for FAISS Flat, IVF and HNSW (through faiss-node, built by
 * scripts/faiss-node/build-faiss-node.sh) and the linear-scan fallback, on synthetic unit vectors
 * of the model's 384 dimensions (scale, not semantics, is what is measured).
 * Run: `npm run build && OMP_NUM_THREADS=1 node dist/bench/cache/runAnnBench.js`;
 * ANN_SIZES=10000,100000,1000000 to choose sizes (default 10000,100000), ANN_QUERIES (200).
 */
import { createRequire } from 'node:module';
import { LinearScanIndex } from '../../plugins/cache/ann/LinearScanIndex.js';
import { mulberry32 } from '../corpus/prng.js';
import { percentile } from '../support/stats.js';

interface FaissIndex {
  isTrained(): boolean;
  train(x: number[]): void;
  add(x: number[]): void;
  search(x: number[], k: number): { labels: number[] };
}
interface FaissModule {
  Index: { fromFactory(d: number, descriptor: string, metric: number): FaissIndex };
  MetricType: { METRIC_INNER_PRODUCT: number };
}

const DIMS = 384;
const K = 10;
const SIZES = (process.env.ANN_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.ANN_QUERIES ?? 200);
/** faiss-node copies a JS array element by element: add in slices to bound the copy's memory. */
const ADD_CHUNK = 10_000;

function unitVectors(count: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(count * DIMS);
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let d = 0; d < DIMS; d++) norm += (out[i * DIMS + d] = random() - 0.5) ** 2;
    norm = Math.sqrt(norm);
    for (let d = 0; d < DIMS; d++) out[i * DIMS + d]! /= norm;
  }
  return out;
}

const row = (data: Float32Array, i: number): Float32Array => data.subarray(i * DIMS, (i + 1) * DIMS);

function timeSearches(search: (q: Float32Array) => number[], queries: Float32Array): { p50: number; p99: number; results: number[][] } {
  const ms: number[] = [];
  const results: number[][] = [];
  for (let q = 0; q < QUERIES; q++) {
    const t = performance.now();
    results.push(search(row(queries, q)));
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), results };
}

function recall(found: number[][], exact: number[][]): number {
  let hits = 0;
  found.forEach((ids, q) => {
    const truth = new Set(exact[q]);
    hits += ids.filter((id) => truth.has(id)).length;
  });
  return hits / (exact.length * K);
}

const faiss = createRequire(import.meta.url)('faiss-node') as FaissModule;
const lines = ['| index | vectors | build s | search p50 ms | search p99 ms | recall@10 vs flat |', '| --- | --- | --- | --- | --- | --- |'];
for (const size of SIZES) {
  const data = unitVectors(size, 1);
  const queries = unitVectors(QUERIES, 2);
  // √n lists, trained on up to 64 points per list (FAISS warns below 39).
  const nlist = Math.max(16, Math.round(Math.sqrt(size)));
  let exact: number[][] = [];
  for (const descriptor of ['Flat', `IVF${nlist},Flat`, 'HNSW32']) {
    const started = performance.now();
    const index = faiss.Index.fromFactory(DIMS, descriptor, faiss.MetricType.METRIC_INNER_PRODUCT);
    // IVF trains on a sample, as FAISS recommends (30-256 points per list).
    if (!index.isTrained()) index.train(Array.from(data.subarray(0, Math.min(size, nlist * 64) * DIMS)));
    for (let at = 0; at < size; at += ADD_CHUNK) index.add(Array.from(data.subarray(at * DIMS, Math.min(size, at + ADD_CHUNK) * DIMS)));
    const buildS = (performance.now() - started) / 1000;
    const timed = timeSearches((q) => index.search(Array.from(q), K).labels, queries);
    if (descriptor === 'Flat') exact = timed.results;
    lines.push(`| FAISS ${descriptor} (faiss-node defaults: nprobe 1, efSearch 16) | ${size} | ${buildS.toFixed(1)} | ${timed.p50.toFixed(2)} | ${timed.p99.toFixed(2)} | ${recall(timed.results, exact).toFixed(3)} |`);
    console.error(lines.at(-1));
  }
  const started = performance.now();
  const linear = new LinearScanIndex(DIMS, size);
  for (let i = 0; i < size; i++) linear.add(i, row(data, i));
  const buildS = (performance.now() - started) / 1000;
  const timed = timeSearches((q) => linear.search(q, K).map((n) => n.id), queries);
  lines.push(`| linear scan (fallback) | ${size} | ${buildS.toFixed(1)} | ${timed.p50.toFixed(2)} | ${timed.p99.toFixed(2)} | ${recall(timed.results, exact).toFixed(3)} |`);
  console.error(lines.at(-1));
}
console.log(lines.join('\n'));
