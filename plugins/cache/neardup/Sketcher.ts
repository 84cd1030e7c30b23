/**
 * A cheap lexical summary of a window's text, searched by inner product in a vector index:
 * `vector` is what the index holds (unit length, or zero for an empty text), `signature` what a
 * design compares candidates with more precisely (MinHash keeps its full hashes there).
 */
export interface Sketch {
  readonly vector: Float32Array;
  readonly signature?: Uint32Array | undefined;
}

/** The two designs: hashed character n-gram vectors, MinHash signatures. */
export type SketchDesign = 'ngram' | 'minhash';

export interface Sketcher {
  readonly design: SketchDesign;
  /**
   * Names the design and every parameter that changes a sketch: sketches under different ids
   * cannot be compared (calibration files and Redis streams carry it).
   */
  readonly id: string;
  /** Length of `Sketch.vector`. */
  readonly dimensions: number;
  sketch(text: string): Sketch;
  /** The similarity τ is compared with: cosine of n-gram vectors, or the MinHash Jaccard estimate. */
  similarity(a: Sketch, b: Sketch): number;
  /** Bytes for a Redis Stream announcement; `decode(encode(s))` is equivalent to `s`. */
  encode(sketch: Sketch): Buffer;
  /** Undefined for bytes that are not a sketch of this design (another configuration). */
  decode(bytes: Buffer): Sketch | undefined;
}

/** 32-bit FNV-1a over `length` UTF-16 code units of `text` from `start`. */
export function fnv1a(text: string, start: number, length: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The distinct hashes of `text`'s character n-grams, with a space on each side so the first and
 * last words count as often as the others; a text shorter than n is one gram.
 */
export function ngramHashes(text: string, n: number): number[] {
  const padded = ` ${text} `;
  if (padded.length <= n) return [fnv1a(padded, 0, padded.length)];
  const out: number[] = [];
  for (let i = 0; i + n <= padded.length; i++) out.push(fnv1a(padded, i, n));
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
