import { dot, ngramHashes, type Sketch, type Sketcher } from './Sketcher.js';

/**
 * Hashed character n-gram counts (the hashing trick with a sign bit, so collisions cancel on
 * average rather than add up), L2-normalized: the inner product of two sketches estimates the
 * cosine of the texts' n-gram count vectors. One pass over the text; a few hundred dimensions.
 *
 * @example
 * const ngram = new NgramSketcher(5, 256);
 * ngram.similarity(ngram.sketch('libfoo development files'), ngram.sketch('libfoo development file')); // ≈ 0.9
 */
export class NgramSketcher implements Sketcher {
  readonly design = 'ngram';
  readonly id: string;

  constructor(
    readonly n: number,
    readonly dimensions: number,
  ) {
    this.id = `ngram:n=${n}:d=${dimensions}`;
  }

  sketch(text: string): Sketch {
    const vector = new Float32Array(this.dimensions);
    for (const h of ngramHashes(text, this.n)) vector[(h & 0x7fffffff) % this.dimensions]! += h >>> 31 ? -1 : 1;
    const norm = Math.sqrt(dot(vector, vector));
    if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
    return { vector };
  }

  similarity(a: Sketch, b: Sketch): number {
    return dot(a.vector, b.vector);
  }

  encode(sketch: Sketch): Buffer {
    return Buffer.from(sketch.vector.buffer.slice(sketch.vector.byteOffset, sketch.vector.byteOffset + sketch.vector.byteLength));
  }

  decode(bytes: Buffer): Sketch | undefined {
    if (bytes.byteLength !== this.dimensions * 4) return undefined;
    const vector = new Float32Array(this.dimensions);
    new Uint8Array(vector.buffer).set(bytes);
    return { vector };
  }
}
