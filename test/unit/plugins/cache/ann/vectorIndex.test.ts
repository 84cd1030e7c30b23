import { expect } from 'chai';
import { FaissFlatIndex } from '../../../../../plugins/cache/ann/FaissFlatIndex.js';
import { LinearScanIndex } from '../../../../../plugins/cache/ann/LinearScanIndex.js';
import { openVectorIndex } from '../../../../../plugins/cache/ann/openVectorIndex.js';
import type { VectorIndex } from '../../../../../plugins/cache/ann/VectorIndex.js';

const DIMS = 32;

/** Deterministic unit vectors (a seeded LCG), so both indexes see the same data every run. */
function unitVectors(count: number, seed: number): Float32Array[] {
  let state = seed;
  const next = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) - 0.5;
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: DIMS }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

function faissIndex(): VectorIndex {
  const index = openVectorIndex(DIMS, (line) => {
    throw new Error(`faiss-node should be built for this test (npm run faiss:build): ${line}`);
  });
  expect(index).to.be.instanceOf(FaissFlatIndex);
  return index;
}

describe('cache vector indexes', () => {
  const vectors = unitVectors(2_000, 7);
  const queries = unitVectors(20, 99);

  it('FAISS (faiss-node built against the system libfaiss) and the linear scan give the same top 10', () => {
    const faiss = faissIndex();
    const linear = new LinearScanIndex(DIMS, 16);
    vectors.forEach((v, i) => {
      faiss.add(1_000 + i, v);
      linear.add(1_000 + i, v);
    });

    for (const q of queries) {
      const fromFaiss = faiss.search(q, 10);
      const fromLinear = linear.search(q, 10);
      expect(fromFaiss.map((n) => n.id)).to.deep.equal(fromLinear.map((n) => n.id));
      fromFaiss.forEach((n, i) => expect(n.score).to.be.closeTo(fromLinear[i]!.score, 1e-5));
    }
  });

  for (const [kind, make] of [['faiss-flat', () => faissIndex()], ['linear', () => new LinearScanIndex(DIMS, 4)]] as const) {
    it(`${kind}: forgets removed vectors and keeps the ids of the rest`, () => {
      const index = make();
      vectors.slice(0, 50).forEach((v, i) => index.add(i, v));

      expect(index.remove(10)).to.equal(true);
      expect(index.remove(10)).to.equal(false);
      index.remove(49);

      expect(index.size).to.equal(48);
      expect(index.search(vectors[10]!, 1)[0]!.id).to.not.equal(10);
      expect(index.search(vectors[11]!, 1)[0]!.id).to.equal(11);
      expect(index.search(vectors[48]!, 1)[0]!.id).to.equal(48);
    });

    it(`${kind}: returns no more neighbours than it holds, and none when empty`, () => {
      const index = make();

      const none = index.search(vectors[0]!, 5);
      index.add(1, vectors[1]!);
      index.add(2, vectors[2]!);

      expect(none).to.deep.equal([]);
      expect(index.search(vectors[1]!, 5).map((n) => n.id)).to.deep.equal([1, 2]);
    });
  }

  it('falls back to a linear scan, logging one line for the process, when faiss-node cannot be loaded', () => {
    const lines: string[] = [];
    const missing = 'faiss-node-that-is-not-installed';

    const first = openVectorIndex(DIMS, (l) => lines.push(l), missing);
    const second = openVectorIndex(DIMS, (l) => lines.push(l), missing);

    expect([first.kind, second.kind]).to.deep.equal(['linear', 'linear']);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/not available .*linear scan/);
  });
});
