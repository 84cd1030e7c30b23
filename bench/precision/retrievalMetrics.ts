/**
 * Ranking metrics with binary relevance, as BEIR and sentence-transformers'
 * InformationRetrievalEvaluator define them: recall@k is the share of a query's relevant
 * documents found in its first k results; NDCG@k divides the discounted gain of the first k
 * results (1 / log2(rank + 1) per relevant document, rank counted from 1) by the gain of an
 * ideal ranking that lists every relevant document first.
 *
 * @example
 * recallAt([7, 3, 9], new Set([3]), 1); // 0
 * ndcgAt([7, 3, 9], new Set([3]), 10); // 1 / log2(3) ≈ 0.6309
 */
export function recallAt(ranking: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) throw new RangeError('a query needs at least one relevant document');
  let found = 0;
  for (const doc of ranking.slice(0, k)) if (relevant.has(doc)) found++;
  return found / relevant.size;
}

export function ndcgAt(ranking: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) throw new RangeError('a query needs at least one relevant document');
  let dcg = 0;
  ranking.slice(0, k).forEach((doc, i) => {
    if (relevant.has(doc)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/** Mean recall@1, recall@10 and NDCG@10 over queries; `relevant[q]` are query q's documents. */
export interface RetrievalScores {
  readonly recallAt1: number;
  readonly recallAt10: number;
  readonly ndcgAt10: number;
}

export function scoreRankings(rankings: readonly (readonly number[])[], relevant: readonly ReadonlySet<number>[]): RetrievalScores {
  if (rankings.length !== relevant.length || rankings.length === 0) {
    throw new RangeError(`need one relevance set per ranking, got ${rankings.length} rankings and ${relevant.length} sets`);
  }
  let r1 = 0;
  let r10 = 0;
  let ndcg = 0;
  rankings.forEach((ranking, q) => {
    r1 += recallAt(ranking, relevant[q]!, 1);
    r10 += recallAt(ranking, relevant[q]!, 10);
    ndcg += ndcgAt(ranking, relevant[q]!, 10);
  });
  const n = rankings.length;
  return { recallAt1: r1 / n, recallAt10: r10 / n, ndcgAt10: ndcg / n };
}
