import { expect } from 'chai';
import { MinHashSketcher } from '../../../../../plugins/cache/neardup/MinHashSketcher.js';
import { NgramSketcher } from '../../../../../plugins/cache/neardup/NgramSketcher.js';
import { dot, ngramHashes } from '../../../../../plugins/cache/neardup/Sketcher.js';
import { WindowText } from '../../../../../plugins/cache/neardup/windowText.js';

const base = 'this package contains the development files for the gnu c library';
const edited = 'this package contains the development file for the gnu c library';
const other = 'a terminal emulator for the x window system with unicode support';

function jaccard(a: string, b: string, n: number): number {
  const x = new Set(ngramHashes(a, n));
  const y = new Set(ngramHashes(b, n));
  const shared = [...x].filter((h) => y.has(h)).length;
  return shared / (x.size + y.size - shared);
}

describe('near-duplicate sketches', () => {
  describe('hashed character n-grams', () => {
    const ngram = new NgramSketcher(5, 256);

    it('is a unit vector whose inner product with itself is 1, and the same for the same text', () => {
      const a = ngram.sketch(base);
      expect(dot(a.vector, a.vector)).to.be.closeTo(1, 1e-6);
      expect(Array.from(ngram.sketch(base).vector)).to.deep.equal(Array.from(a.vector));
    });

    it('scores a one-word edit far above an unrelated text', () => {
      const near = ngram.similarity(ngram.sketch(base), ngram.sketch(edited));
      const far = ngram.similarity(ngram.sketch(base), ngram.sketch(other));
      expect(near).to.be.greaterThan(0.85);
      expect(far).to.be.lessThan(0.3);
    });

    it('gives an empty text a zero vector rather than NaN', () => {
      expect(Array.from(ngram.sketch('').vector).every((x) => Number.isFinite(x))).to.equal(true);
    });

    it('survives the trip through an announcement’s bytes and refuses bytes of another size', () => {
      const a = ngram.sketch(base);
      expect(Array.from(ngram.decode(ngram.encode(a))!.vector)).to.deep.equal(Array.from(a.vector));
      expect(new NgramSketcher(5, 128).decode(ngram.encode(a))).to.equal(undefined);
    });
  });

  describe('MinHash', () => {
    const minhash = new MinHashSketcher(5, 256, 2);

    it('estimates the Jaccard similarity of the n-gram sets within its standard error', () => {
      for (const [a, b] of [[base, edited], [base, other], [base, `${base} and its static archives`]] as const) {
        const truth = jaccard(a, b, 5);
        const estimate = minhash.similarity(minhash.sketch(a), minhash.sketch(b));
        const se = Math.sqrt((truth * (1 - truth)) / 256);
        expect(Math.abs(estimate - truth), `${a} / ${b}`).to.be.at.most(4 * se + 0.01);
      }
    });

    it('has a b-bit vector whose inner product is the share of equal b-bit minima', () => {
      const a = minhash.sketch(base);
      const b = minhash.sketch(edited);
      let equal = 0;
      for (let p = 0; p < 256; p++) if ((a.signature![p]! & 3) === (b.signature![p]! & 3)) equal++;
      expect(dot(a.vector, b.vector)).to.be.closeTo(equal / 256, 1e-5);
      expect(dot(a.vector, a.vector)).to.be.closeTo(1, 1e-5);
    });

    it('draws the same permutations in every instance (peers and calibration must agree)', () => {
      const again = new MinHashSketcher(5, 256, 2);
      expect(Array.from(again.sketch(base).signature!)).to.deep.equal(Array.from(minhash.sketch(base).signature!));
      expect(Array.from(minhash.decode(minhash.encode(minhash.sketch(base)))!.vector)).to.deep.equal(Array.from(minhash.sketch(base).vector));
    });

    it('names its parameters in its id, so sketches of other settings are never compared', () => {
      expect(minhash.id).to.equal('minhash:n=5:p=256:b=2');
      expect(new NgramSketcher(5, 256).id).to.equal('ngram:n=5:d=256');
    });
  });

  describe('window text', () => {
    const window = WindowText.fromVocab({ '[PAD]': 0, '[CLS]': 101, '[SEP]': 102, hello: 7592, wor: 2, '##ld': 3, ',': 4 });

    it('rebuilds the words from word pieces and leaves special tokens out', () => {
      expect(window.of(Int32Array.from([101, 7592, 4, 2, 3, 102]))).to.equal('hello , world');
    });
  });
});
