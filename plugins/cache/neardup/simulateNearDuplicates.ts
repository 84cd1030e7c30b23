import { cosine } from '../../../core/vectorMath.js';
import { LinearScanIndex } from '../ann/LinearScanIndex.js';
import type { VectorIndex } from '../ann/VectorIndex.js';
import type { Sketcher } from './Sketcher.js';
import { SketchIndex } from './SketchIndex.js';

/** One text of a stream, as the model saw it. */
export interface StreamText {
  readonly text: string;
  /** Its token ids after truncation (the token key's input). */
  readonly ids: Int32Array;
  /** The window's text (WindowText.of(ids)): what is sketched. */
  readonly window: string;
  /** The model's vector (unit length). */
  readonly vector: Float32Array;
}

export interface ServedCosine {
  readonly mean: number;
  readonly p1: number;
  readonly min: number;
}

export interface ThresholdRow {
  readonly threshold: number;
  /** Texts the near-duplicate tier would serve at this τ (after both exact tiers missed). */
  readonly hits: number;
  /** hits / texts: hit rate added on top of the exact tiers. */
  readonly hitRateGain: number;
  /** Cosine of each served vector to the text's true vector; null with no hits. */
  readonly cosine: ServedCosine | null;
}

export interface NearDuplicateSimulation {
  readonly texts: number;
  /** Texts whose exact text came earlier in the stream. */
  readonly textHits: number;
  /** Texts whose token ids (not text) came earlier: the token-key tier's hits. */
  readonly tokenHits: number;
  readonly rows: readonly ThresholdRow[];
}

export interface SimulationOptions {
  readonly k: number;
  /** Index the sketches are searched in; a linear scan unless given (the answer is the same for a flat index). */
  readonly open?: (dimensions: number) => VectorIndex;
  /** Told, for each text both exact tiers missed that had a neighbour, the best one's similarity and the cosine it would serve. */
  readonly onLookup?: (index: number, similarity: number, cosine: number) => void;
}

/**
 * Replays a stream through an unbounded exact cache (text key, then token key) and the
 * near-duplicate tier: each text both exact tiers miss is looked up among the sketches of every
 * earlier distinct window (top k by the index, re-ranked by the sketch similarity, best taken),
 * then added. For each τ it reports how many texts the tier would serve and how close the
 * served vectors are to the true ones. Every missed text is added, as if computed, so the
 * neighbours are always true vectors, as in the tier; the hit-rate gain is an upper bound (no
 * eviction, and a text served approximately would not have been added).
 *
 * @example
 * const result = simulateNearDuplicates(new NgramSketcher(5, 256), stream, [0.9, 0.95], { k: 4 });
 * result.rows[1]; // { threshold: 0.95, hits: 12, hitRateGain: 0.003, cosine: { mean: 0.97, p1: 0.81, min: 0.8 } }
 */
export function simulateNearDuplicates(sketcher: Sketcher, stream: readonly StreamText[], thresholds: readonly number[], opts: SimulationOptions): NearDuplicateSimulation {
  const open = opts.open ?? ((d: number) => new LinearScanIndex(d));
  const index = new SketchIndex(sketcher, { k: opts.k, linearBelow: 0, open });
  const texts = new Set<string>();
  const windows = new Map<string, number>();
  let textHits = 0;
  let tokenHits = 0;
  const best: { similarity: number; cosine: number }[] = [];
  stream.forEach((item, i) => {
    if (texts.has(item.text)) return void textHits++;
    texts.add(item.text);
    const tokenKey = item.ids.join(',');
    if (windows.has(tokenKey)) return void tokenHits++;
    const sketch = sketcher.sketch(item.window);
    const [top] = index.search(sketch);
    if (top) {
      const served = { similarity: top.similarity, cosine: cosine(item.vector, stream[windows.get(top.key)!]!.vector) };
      best.push(served);
      opts.onLookup?.(i, served.similarity, served.cosine);
    }
    windows.set(tokenKey, i);
    index.add(tokenKey, sketch);
  });
  const rows = thresholds.map((threshold): ThresholdRow => {
    const served = best.filter((b) => b.similarity >= threshold).map((b) => b.cosine);
    return { threshold, hits: served.length, hitRateGain: stream.length === 0 ? 0 : served.length / stream.length, cosine: servedCosine(served) };
  });
  return { texts: stream.length, textHits, tokenHits, rows };
}

function servedCosine(cosines: number[]): ServedCosine | null {
  if (cosines.length === 0) return null;
  const sorted = [...cosines].sort((a, b) => a - b);
  // Nearest rank: the value at or below which 1% of served vectors lie.
  const p1 = sorted[Math.max(0, Math.ceil(0.01 * sorted.length) - 1)]!;
  return { mean: sorted.reduce((s, c) => s + c, 0) / sorted.length, p1, min: sorted[0]! };
}
