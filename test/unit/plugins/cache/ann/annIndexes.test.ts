import { expect } from 'chai';
import type { z } from 'zod';
import { createRequire } from 'node:module';
import { FaissAnnIndex } from '../../../../../plugins/cache/ann/FaissAnnIndex.js';
import type { FaissModule } from '../../../../../plugins/cache/ann/faissNode.js';
import { hnswEfOf, nprobeOf, withHnswEf, withNprobe } from '../../../../../plugins/cache/ann/faissParameters.js';
import { indexSpecSchema } from '../../../../../plugins/cache/ann/indexSpec.js';
import { LinearScanIndex } from '../../../../../plugins/cache/ann/LinearScanIndex.js';
import { openVectorIndex } from '../../../../../plugins/cache/ann/openVectorIndex.js';
import type { VectorIndex } from '../../../../../plugins/cache/ann/VectorIndex.js';

const DIMS = 32;
const faiss = createRequire(import.meta.url)('faiss-node') as FaissModule;

/** Deterministic clustered unit vectors: 24 random centres, each point a centre plus noise (IVF's lists mean something). */
function clustered(count: number, seed: number): Float32Array[] {
  let state = seed;
  const next = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) - 0.5;
  const unit = (v: Float32Array): Float32Array => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const centres = Array.from({ length: 24 }, () => unit(Float32Array.from({ length: DIMS }, next)));
  return Array.from({ length: count }, (_, i) => unit(centres[i % centres.length]!.map((c) => c + 0.35 * next())));
}

function open(spec: z.input<typeof indexSpecSchema>): VectorIndex {
  return openVectorIndex(DIMS, (line) => {
    throw new Error(`faiss-node should be built for this test (npm run faiss:build): ${line}`);
  }, 'faiss-node', indexSpecSchema.parse(spec));
}

function recallAt10(index: VectorIndex, exact: VectorIndex, queries: readonly Float32Array[]): number {
  let hits = 0;
  for (const q of queries) {
    const truth = new Set(exact.search(q, 10).map((n) => n.id));
    hits += index.search(q, 10).filter((n) => truth.has(n.id)).length;
  }
  return hits / (queries.length * 10);
}

describe('cache ANN indexes (IVF, HNSW through faiss-node)', () => {
  const vectors = clustered(3_000, 11);
  const queries = clustered(40, 5_003);
  const exact = new LinearScanIndex(DIMS);
  vectors.forEach((v, i) => exact.add(i, v));

  it('sets IVF nprobe through the serialized index, and checks the layout it edits', () => {
    const ivf = faiss.Index.fromFactory(DIMS, 'IVF16,Flat', faiss.MetricType.METRIC_INNER_PRODUCT);
    ivf.train(vectors.slice(0, 16 * 40).flatMap((v) => Array.from(v)));
    expect(nprobeOf(ivf)).to.equal(1);
    expect(nprobeOf(withNprobe(faiss, ivf, 16, 7))).to.equal(7);
    expect(() => withNprobe(faiss, ivf, 32, 7)).to.throw(/unexpected IndexIVFFlat layout/);
    expect(() => withNprobe(faiss, new faiss.IndexFlatIP(DIMS), 16, 7)).to.throw(/expected a serialized IndexIVFFlat/);
  });

  it('IVF: a linear scan until trainSize vectors, then FAISS; every list probed finds what flat finds, one list finds less', () => {
    const all = open({ kind: 'ivf', ivf: { nlist: 16, nprobe: 16, trainSize: 640 } });
    const one = open({ kind: 'ivf', ivf: { nlist: 16, nprobe: 1, trainSize: 640 } });
    vectors.slice(0, 639).forEach((v, i) => all.add(i, v));
    expect(all.kind).to.equal('linear');
    vectors.slice(639).forEach((v, i) => all.add(639 + i, v));
    vectors.forEach((v, i) => one.add(i, v));
    expect(all.kind).to.equal('faiss-ivf');
    expect(all.size).to.equal(3_000);
    const full = recallAt10(all, exact, queries);
    const probed = recallAt10(one, exact, queries);
    expect(full).to.equal(1);
    expect(probed).to.be.below(full);
  });

  it('sets HNSW efConstruction and efSearch through the serialized index, empty or built', () => {
    const hnsw = faiss.Index.fromFactory(DIMS, 'HNSW16,Flat', faiss.MetricType.METRIC_INNER_PRODUCT);
    expect(hnswEfOf(hnsw)).to.deep.equal({ efConstruction: 40, efSearch: 16 });
    const tuned = withHnswEf(faiss, hnsw, { efConstruction: 80, efSearch: 77 });
    expect(hnswEfOf(tuned)).to.deep.equal({ efConstruction: 80, efSearch: 77 });
    tuned.add(vectors.slice(0, 500).flatMap((v) => Array.from(v)));
    const retuned = withHnswEf(faiss, tuned, { efSearch: 200 });
    expect(hnswEfOf(retuned)).to.deep.equal({ efConstruction: 80, efSearch: 200 });
    expect(retuned.ntotal()).to.equal(500);
    expect(() => withHnswEf(faiss, new faiss.IndexFlatIP(DIMS), { efSearch: 77 })).to.throw(/expected a serialized IndexHNSWFlat/);
  });

  it('HNSW: a wide candidate list finds nearly all of the exact top 10', () => {
    const wide = open({ kind: 'hnsw', hnsw: { m: 16, efSearch: 256, efConstruction: 80 } });
    vectors.forEach((v, i) => wide.add(i, v));
    expect(wide.kind).to.equal('faiss-hnsw');
    expect(recallAt10(wide, exact, queries)).to.be.at.least(0.98);
  });

  for (const kind of ['ivf', 'hnsw'] as const) {
    it(`${kind}: removed vectors never come back, the rest keep their ids, and many removals rebuild the index`, () => {
      const index = open({ kind, ivf: { nlist: 16, nprobe: 16, trainSize: 640 }, hnsw: { efSearch: 256 } }) as FaissAnnIndex;
      vectors.forEach((v, i) => index.add(1_000 + i, v));
      const target = vectors[42]!;
      expect(index.search(target, 1)[0]).to.deep.include({ id: 1_042 });
      expect(index.remove(1_042)).to.equal(true);
      expect(index.remove(1_042)).to.equal(false);
      expect(index.remove(99)).to.equal(false);
      expect(index.search(target, 10).map((n) => n.id)).not.to.include(1_042);
      expect(index.tombstones).to.equal(1);
      // Remove half: tombstones reach the live count and the FAISS index is rebuilt from the live vectors.
      const buildsBefore = index.builds;
      for (let i = 0; i < 1_500; i++) if (i !== 42) index.remove(1_000 + i);
      expect(index.builds).to.equal(buildsBefore + 1);
      expect(index.tombstones).to.equal(0);
      expect(index.size).to.equal(1_500);
      const live = new LinearScanIndex(DIMS);
      vectors.forEach((v, i) => i >= 1_500 && live.add(1_000 + i, v));
      for (const q of queries.slice(0, 10)) expect(index.search(q, 10).every((n) => n.id >= 2_500)).to.equal(true);
      expect(recallAt10(index, live, queries)).to.be.at.least(kind === 'ivf' ? 1 : 0.95);
      // A removed id may be added again.
      index.add(1_042, target);
      expect(index.search(target, 1)[0]).to.deep.include({ id: 1_042 });
    });
  }

  it('falls back to a linear scan for every kind when faiss-node is missing', () => {
    const lines: string[] = [];
    for (const kind of ['flat', 'ivf', 'hnsw'] as const) {
      expect(openVectorIndex(DIMS, (l) => lines.push(l), 'faiss-node-not-installed-c2', indexSpecSchema.parse({ kind })).kind).to.equal('linear');
    }
    expect(lines).to.have.length(1);
  });
});
