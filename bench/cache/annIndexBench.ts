/**
 * ANN index benchmark (issue 13 item 7, first half): for FAISS Flat, IVF (two nprobe values) and
 * HNSW (two efSearch values), as the cache's search tier builds them (plugins/cache/ann:
 * annRecipes, nprobe/efSearch set in FAISS's serialized index), at 10k/100k/1M vectors:
 * build (IVF: train + add) time, memory, single-query p50/p99 latency, queries/s and recall@10
 * against Flat. Vectors are synthetic 384-d unit vectors drawn around 1,000 random centres
 * (cosine to their centre ≈ 0.7), so clusters exist for IVF to find; queries come from the same
 * distribution. Scale is what is measured, not semantics.
 *
 * Run: `npm run bench:ann` (OMP_NUM_THREADS=1, --expose-gc, all three sizes); ANN_SIZES=10000 for
 * a smoke run; ANN_QUERIES (default 500); ANN_JSON=path also writes the rows as JSON. The build
 * and RSS columns of the variants of one index are those of the one build they share.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hnswRecipe, ivfRecipe } from '../../plugins/cache/ann/annRecipes.js';
import type { FaissHandle, FaissModule } from '../../plugins/cache/ann/faissNode.js';
import { hnswEfOf, nprobeOf, withHnswEf, withNprobe } from '../../plugins/cache/ann/faissParameters.js';
import { indexSpecSchema } from '../../plugins/cache/ann/indexSpec.js';
import { mulberry32, type Random } from '../corpus/prng.js';
import { percentile } from '../support/stats.js';

const DIMS = 384;
const K = 10;
const CENTRES = 1_000;
/** Per-dimension noise around a centre: |noise| ≈ 0.052·√384 ≈ 1, so cosine to the centre ≈ 0.7. */
const NOISE = 0.052;
const SIZES = (process.env.ANN_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const QUERIES = Number(process.env.ANN_QUERIES ?? 500);
/** faiss-node copies a JS array element by element: add in slices to bound the copy's memory. */
const ADD_CHUNK = 20_000;

const faiss = createRequire(import.meta.url)('faiss-node') as FaissModule;

interface Row {
  readonly index: string;
  readonly vectors: number;
  readonly buildS: number;
  readonly rssMiB: number;
  readonly estimateMiB: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly qps: number;
  readonly recall: number;
}

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalizeInto(out: Float32Array, at: number): void {
  let norm = 0;
  for (let d = 0; d < DIMS; d++) norm += out[at + d]! ** 2;
  norm = Math.sqrt(norm);
  for (let d = 0; d < DIMS; d++) out[at + d]! /= norm;
}

const centres = (() => {
  const random = mulberry32(7);
  const out = new Float32Array(CENTRES * DIMS);
  for (let i = 0; i < out.length; i++) out[i] = gaussian(random);
  for (let c = 0; c < CENTRES; c++) normalizeInto(out, c * DIMS);
  return out;
})();

/** `count` unit vectors, each a random centre plus Gaussian noise. */
function clustered(count: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(count * DIMS);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(random() * CENTRES) * DIMS;
    for (let d = 0; d < DIMS; d++) out[i * DIMS + d] = centres[c + d]! + NOISE * gaussian(random);
    normalizeInto(out, i * DIMS);
  }
  return out;
}

function addAll(index: FaissHandle, data: Float32Array): void {
  for (let at = 0; at < data.length; at += ADD_CHUNK * DIMS) index.add(Array.from(data.subarray(at, Math.min(data.length, at + ADD_CHUNK * DIMS))));
}

function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/** Single-query searches, one at a time (what a /v1/search request does). */
function timeSearches(index: FaissHandle, queries: Float32Array): { p50: number; p99: number; qps: number; labels: number[][] } {
  const ms: number[] = [];
  const labels: number[][] = [];
  const started = performance.now();
  for (let q = 0; q < QUERIES; q++) {
    const query = Array.from(queries.subarray(q * DIMS, (q + 1) * DIMS));
    const t = performance.now();
    labels.push(index.search(query, K).labels);
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), qps: QUERIES / ((performance.now() - started) / 1000), labels };
}

function recallAt10(found: number[][], exact: number[][]): number {
  let hits = 0;
  found.forEach((labels, q) => {
    const truth = new Set(exact[q]);
    hits += labels.filter((l) => truth.has(l)).length;
  });
  return hits / (exact.length * K);
}

const rows: Row[] = [];
function report(row: Row): void {
  rows.push(row);
  console.error(`${row.index} n=${row.vectors}: build ${row.buildS.toFixed(1)} s, +${row.rssMiB.toFixed(0)} MiB RSS (estimate ${row.estimateMiB.toFixed(0)}), p50 ${row.p50Ms.toFixed(3)} ms, p99 ${row.p99Ms.toFixed(3)} ms, ${row.qps.toFixed(0)} q/s, recall@10 ${row.recall.toFixed(3)}`);
}

for (const size of SIZES) {
  const data = clustered(size, 1);
  const queries = clustered(QUERIES, 2);
  let exact: number[][] = [];
  // FAISS's own memory per vector: the vector, plus an 8-byte list id (IVF) or about 2.1·m 4-byte links and a level (HNSW).
  const measure = (name: string, estimateBytesPerVector: number, build: () => FaissHandle, variants: readonly { label: string; tune: (index: FaissHandle) => FaissHandle }[]): void => {
    global.gc?.();
    const rssBefore = rssMiB();
    const started = performance.now();
    const built = build();
    const buildS = (performance.now() - started) / 1000;
    const rss = rssMiB() - rssBefore;
    for (const { label, tune } of variants) {
      const index = tune(built);
      const timed = timeSearches(index, queries);
      if (name === 'Flat') exact = timed.labels;
      report({ index: `${name}${label}`, vectors: size, buildS, rssMiB: rss, estimateMiB: (size * estimateBytesPerVector) / 2 ** 20, p50Ms: timed.p50, p99Ms: timed.p99, qps: timed.qps, recall: recallAt10(timed.labels, exact) });
    }
  };

  measure('Flat', DIMS * 4, () => {
    const flat = new faiss.IndexFlatIP(DIMS);
    addAll(flat, data);
    return flat;
  }, [{ label: '', tune: (i) => i }]);

  // About 4·√n lists, trained on up to 40 points per list (FAISS warns below 39). Built once; nprobe
  // is then changed on the built index (a serialized copy), as for HNSW's efSearch below.
  const nlist = Math.round(4 * Math.sqrt(size));
  const ivf = indexSpecSchema.parse({ kind: 'ivf', ivf: { nlist, nprobe: 8, trainSize: Math.min(size, nlist * 40) } }).ivf;
  measure(`IVF${nlist},Flat (trained on ${ivf.trainSize!.toLocaleString('en-US')})`, DIMS * 4 + 8, () => {
    const index = ivfRecipe(faiss, DIMS, ivf).create(data);
    addAll(index, data);
    return index;
  }, [8, 32].map((nprobe) => ({
    label: ` nprobe ${nprobe}`,
    tune: (index: FaissHandle) => {
      const tuned = withNprobe(faiss, index, nlist, nprobe);
      if (nprobeOf(tuned) !== nprobe) throw new Error('nprobe was not applied');
      return tuned;
    },
  })));

  const hnsw = indexSpecSchema.parse({ kind: 'hnsw', hnsw: { m: 32, efConstruction: 40, efSearch: 32 } }).hnsw;
  // Built once; efSearch is changed on the built index (a serialized copy), which only affects search.
  measure('HNSW32,Flat efConstruction 40', DIMS * 4 + Math.ceil(32 * 2 * 4 * 1.05) + 4, () => {
    const index = hnswRecipe(faiss, DIMS, hnsw).create(new Float32Array(0));
    addAll(index, data);
    return index;
  }, [32, 128].map((efSearch) => ({
    label: ` efSearch ${efSearch}`,
    tune: (index: FaissHandle) => {
      const tuned = withHnswEf(faiss, index, { efSearch });
      if (hnswEfOf(tuned).efSearch !== efSearch) throw new Error('efSearch was not applied');
      return tuned;
    },
  })));
}

const lines = ['| index | vectors | build s | RSS added MiB (estimate) | search p50 ms | search p99 ms | queries/s | recall@10 vs Flat |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
for (const r of rows) lines.push(`| ${r.index} | ${r.vectors.toLocaleString('en-US')} | ${r.buildS.toFixed(1)} | ${r.rssMiB.toFixed(0)} (${r.estimateMiB.toFixed(0)}) | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${r.qps.toFixed(0)} | ${r.recall.toFixed(3)} |`);
console.log(lines.join('\n'));
if (process.env.ANN_JSON) writeFileSync(process.env.ANN_JSON, JSON.stringify({ dims: DIMS, centres: CENTRES, queries: QUERIES, ompThreads: process.env.OMP_NUM_THREADS ?? 'default', rows }, null, 2));
