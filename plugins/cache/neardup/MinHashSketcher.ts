import { ngramHashes, type Sketch, type Sketcher } from './Sketcher.js';

/** murmur3's 32-bit finalizer: a cheap, well-mixed hash of a 32-bit value. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * MinHash over the set of character n-grams: `permutations` independent hashes, each keeping its
 * minimum; the share of equal minima estimates the Jaccard similarity of the two n-gram sets
 * (standard error √(J(1−J)/permutations)). A vector index cannot compare minima, so the vector is
 * the b-bit encoding (Li and König): each minimum's lowest `bits` bits one-hot in 2^bits slots,
 * scaled so the inner product is the share of equal b-bit values, ≈ J + (1−J)/2^bits. The index
 * finds candidates by that; `similarity` re-ranks them by the full 32-bit minima.
 *
 * @example
 * const minhash = new MinHashSketcher(5, 128, 2);
 * minhash.similarity(minhash.sketch('a b c d e f'), minhash.sketch('a b c d e f g')); // ≈ 0.8
 */
export class MinHashSketcher implements Sketcher {
  readonly design = 'minhash';
  readonly id: string;
  readonly dimensions: number;
  private readonly seeds: Uint32Array;

  constructor(
    readonly n: number,
    readonly permutations: number,
    readonly bits: number,
  ) {
    this.id = `minhash:n=${n}:p=${permutations}:b=${bits}`;
    this.dimensions = permutations << bits;
    // Fixed seeds: every instance (and the calibration run) must draw the same permutations.
    this.seeds = Uint32Array.from({ length: permutations }, (_, p) => mix32(0x9e3779b9 + p * 0x7f4a7c15));
  }

  sketch(text: string): Sketch {
    const shingles = [...new Set(ngramHashes(text, this.n))];
    const signature = new Uint32Array(this.permutations).fill(0xffffffff);
    for (let p = 0; p < this.permutations; p++) {
      const seed = this.seeds[p]!;
      let min = 0xffffffff;
      for (const h of shingles) {
        const v = mix32(h ^ seed);
        if (v < min) min = v;
      }
      signature[p] = min;
    }
    return { vector: this.bBitVector(signature), signature };
  }

  similarity(a: Sketch, b: Sketch): number {
    const x = a.signature!;
    const y = b.signature!;
    let equal = 0;
    for (let p = 0; p < x.length; p++) if (x[p] === y[p]) equal++;
    return equal / x.length;
  }

  encode(sketch: Sketch): Buffer {
    const s = sketch.signature!;
    return Buffer.from(s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength));
  }

  decode(bytes: Buffer): Sketch | undefined {
    if (bytes.byteLength !== this.permutations * 4) return undefined;
    const signature = new Uint32Array(this.permutations);
    new Uint8Array(signature.buffer).set(bytes);
    return { vector: this.bBitVector(signature), signature };
  }

  private bBitVector(signature: Uint32Array): Float32Array {
    const slots = 1 << this.bits;
    const mask = slots - 1;
    const weight = 1 / Math.sqrt(this.permutations);
    const vector = new Float32Array(this.dimensions);
    signature.forEach((min, p) => (vector[p * slots + (min & mask)] = weight));
    return vector;
  }
}
