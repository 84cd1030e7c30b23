import { EmbedlineError } from '../errors.js';
import { planBatches, type BatchLimits } from './batchPlanner.js';
import type { TextTokenizer, TokenizedText } from './TextTokenizer.js';
import type { TensorAllocator } from '../ports/TensorAllocator.js';
import { packBatch, PlainAllocator } from './packBatch.js';
import type { BatchOutput, WorkerPool } from './WorkerPool.js';

/** What one encode call did, for metrics and benchmarks. */
export interface EncodeStats {
  readonly batches: number;
  readonly realTokens: number;
  readonly paddedTokens: number;
}

export interface EncodeResult {
  readonly vectors: Float32Array[];
  readonly stats: EncodeStats;
}

/**
 * Text → unit vectors with sentence-transformers semantics: tokenize (truncating at the
 * model's limit), group by token length into batches under a token budget, run the batches on
 * the worker pool, mean-pool and normalize there, and return vectors in input order.
 *
 * @example
 * const encoder = new Encoder(tokenizer, pool, { maxBatchSize: 16, maxBatchTokens: 8192, maxPaddingRatio: 0.05 }, 384);
 * const [a, b] = await encoder.encode(['a cat', 'a kitten']);
 */
export class Encoder {
  constructor(
    readonly tokenizer: TextTokenizer,
    private readonly pool: WorkerPool,
    private readonly limits: BatchLimits,
    readonly dimensions: number,
    private readonly allocator: TensorAllocator = new PlainAllocator(),
  ) {}

  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    return (await this.encodeWithStats(texts)).vectors;
  }

  async encodeWithStats(texts: readonly string[]): Promise<EncodeResult> {
    assertTexts(texts);
    return this.encodeTokenized(await this.tokenizer.tokenize(texts));
  }

  /** For callers that tokenized already (the pipeline needs token counts before batching). */
  async encodeTokenized(tokens: readonly TokenizedText[]): Promise<EncodeResult> {
    const lengths = tokens.map((t) => t.ids.length);
    const batches = planBatches(lengths, this.limits);
    const vectors = new Array<Float32Array>(tokens.length);
    let paddedTokens = 0;
    await Promise.all(
      batches.map(async (batch) => {
        paddedTokens += batch.length * Math.max(...batch.map((i) => lengths[i]!));
        const output = await this.runBatch(batch.map((i) => tokens[i]!));
        batch.forEach((index, row) => {
          vectors[index] = output.vectors.subarray(row * this.dimensions, (row + 1) * this.dimensions);
        });
      }),
    );
    const realTokens = lengths.reduce((sum, n) => sum + n, 0);
    return { vectors, stats: { batches: batches.length, realTokens, paddedTokens } };
  }

  /** Runs rows as one batch exactly as given (no regrouping); the pipeline's batchers use this. */
  runBatch(rows: readonly TokenizedText[]): Promise<BatchOutput> {
    return this.pool.run(() => packBatch(rows.map((r) => r.ids), this.allocator), (buffers) => this.allocator.release(buffers));
  }
}

function assertTexts(texts: readonly unknown[]): asserts texts is readonly string[] {
  if (!Array.isArray(texts)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'texts must be an array of strings');
  texts.forEach((text, index) => {
    if (typeof text !== 'string') {
      throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `texts[${index}] must be a string, got ${text === null ? 'null' : typeof text}`, { index });
    }
  });
}
