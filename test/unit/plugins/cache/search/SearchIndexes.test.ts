import { expect } from 'chai';
import { indexSpecSchema } from '../../../../../plugins/cache/ann/indexSpec.js';
import { SearchIndexes, type SearchIndexesOptions } from '../../../../../plugins/cache/search/SearchIndexes.js';

const DIMS = 8;
const FP32 = { variant: 'fp32', format: 'float32' };
const INT8 = { variant: 'int8', format: 'int8' };

const axis = (i: number): Float32Array => {
  const v = new Float32Array(DIMS);
  v[i % DIMS] = 1;
  return v;
};
const key = (i: number): string => `t:${i.toString(16).padStart(32, '0')}`;

function indexes(overrides: Partial<SearchIndexesOptions> = {}, evicted: number[] = []): SearchIndexes {
  return new SearchIndexes({ dimensions: DIMS, index: indexSpecSchema.parse({}), maxBytes: 1 << 20, maxEntries: 1_000, storeTexts: true, log: () => {}, ...overrides }, (n) => evicted.push(n));
}

describe('cache search indexes', () => {
  it('answers per (variant, format) with the text key as id, and texts only with storeTexts', () => {
    const withTexts = indexes();
    withTexts.add(FP32, key(1), axis(1), 'one');
    withTexts.add(INT8, key(2), axis(1), 'two');
    expect(withTexts.search(FP32, axis(1), 5)).to.deep.equal([{ id: key(1).slice(2), text: 'one', score: 1 }]);
    expect(withTexts.search(INT8, axis(1), 5)).to.deep.equal([{ id: key(2).slice(2), text: 'two', score: 1 }]);
    expect(withTexts.search({ variant: 'fp32', format: 'binary' }, axis(1), 5)).to.deep.equal([]);
    expect(withTexts.kindOf(FP32)).to.equal('faiss-flat');

    const withoutTexts = indexes({ storeTexts: false });
    withoutTexts.add(FP32, key(1), axis(1), 'one');
    expect(withoutTexts.search(FP32, axis(1), 5)).to.deep.equal([{ id: key(1).slice(2), text: undefined, score: 1 }]);
  });

  it('forgets what the exact tier drops, and evicts oldest first beyond maxEntries or maxBytes', () => {
    const evicted: number[] = [];
    const bounded = indexes({ maxEntries: 3 }, evicted);
    for (let i = 0; i < 5; i++) bounded.add(FP32, key(i), axis(i), `text ${i}`);
    expect(bounded.stats.entries).to.equal(3);
    expect(evicted.reduce((a, b) => a + b, 0)).to.equal(2);
    expect(bounded.search(FP32, axis(0), 1)[0]!.score).to.equal(0);
    expect(bounded.drop(key(4))).to.equal(true);
    expect(bounded.drop(key(4))).to.equal(false);
    expect(bounded.search(FP32, axis(4), 3).map((h) => h.id)).to.have.members([key(2).slice(2), key(3).slice(2)]);

    const small = indexes({ maxBytes: 3_000, storeTexts: false });
    for (let i = 0; i < 20; i++) small.add(FP32, key(i), axis(i), '');
    expect(small.stats.bytes).to.be.at.most(3_000);
    expect(small.stats.entries).to.be.within(1, 19);
  });

  it('keeps a withheld key (a query being embedded) out until it is released; a key stored twice stays one entry', () => {
    const search = indexes();
    const release = search.withhold(key(7));
    search.add(FP32, key(7), axis(7), 'query');
    expect(search.stats.entries).to.equal(0);
    release();
    release();
    search.add(FP32, key(7), axis(7), 'query');
    search.add(FP32, key(7), axis(7), 'query');
    expect(search.stats.entries).to.equal(1);
  });
});
