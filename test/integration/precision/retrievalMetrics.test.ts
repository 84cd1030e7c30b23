import { expect } from 'chai';
import { ndcgAt, recallAt, scoreRankings } from '../../../bench/precision/retrievalMetrics.js';

// Hand-made rankings whose values are worked out on paper: log2(2) = 1, log2(3) ≈ 1.58496,
// log2(4) = 2, log2(11) ≈ 3.45943.
describe('retrieval metrics (bench/precision/retrievalMetrics)', () => {
  const ranking = [4, 8, 1, 9, 2, 7, 0, 3, 5, 6, 10];

  it('recall@k is the share of relevant documents among the first k', () => {
    const relevant = new Set([8, 3, 10]);
    expect(recallAt(ranking, relevant, 1)).to.equal(0);
    expect(recallAt(ranking, relevant, 2)).to.be.closeTo(1 / 3, 1e-12);
    expect(recallAt(ranking, relevant, 10)).to.be.closeTo(2 / 3, 1e-12);
    expect(recallAt(ranking, relevant, 11)).to.equal(1);
  });

  it('NDCG@10 of one relevant document is 1 / log2(rank + 1), and 0 past rank 10', () => {
    expect(ndcgAt(ranking, new Set([4]), 10)).to.equal(1);
    expect(ndcgAt(ranking, new Set([8]), 10)).to.be.closeTo(1 / Math.log2(3), 1e-12);
    expect(ndcgAt(ranking, new Set([6]), 10)).to.be.closeTo(1 / Math.log2(11), 1e-12);
    expect(ndcgAt(ranking, new Set([10]), 10)).to.equal(0);
  });

  it('NDCG@10 with several relevant documents divides by the ideal ranking\'s gain', () => {
    // Relevant at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3).
    const expected = (1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3));
    expect(ndcgAt(ranking, new Set([8, 9]), 10)).to.be.closeTo(expected, 1e-12);
    expect(ndcgAt(ranking, new Set([8, 9]), 10)).to.be.closeTo(0.650_920_9, 1e-6);
  });

  it('averages recall@1, recall@10 and NDCG@10 over queries', () => {
    const scores = scoreRankings([ranking, ranking, ranking], [new Set([4]), new Set([1]), new Set([10])]);
    expect(scores.recallAt1).to.be.closeTo(1 / 3, 1e-12);
    expect(scores.recallAt10).to.be.closeTo(2 / 3, 1e-12);
    expect(scores.ndcgAt10).to.be.closeTo((1 + 0.5) / 3, 1e-12);
  });

  it('refuses a query without relevant documents and mismatched lists', () => {
    expect(() => ndcgAt(ranking, new Set(), 10)).to.throw(RangeError);
    expect(() => scoreRankings([ranking], [])).to.throw(RangeError);
  });
});
