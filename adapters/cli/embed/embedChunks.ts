import type { EmbedOptions, EmbedResult } from '../../../core/pipeline/types.js';
import type { ResolvedPrecision } from '../../../core/ports/PrecisionPolicy.js';
import type { QuantizedVector } from '../../../core/precision/quantize.js';

/** The part of the pipeline a file-sized job needs. */
export interface ChunkEmbedder {
  embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbedResult>;
}

export interface ChunkOptions {
  /** Texts per pipeline call: each call is one request, with its own timeout. */
  readonly chunk: number;
  /** Pipeline calls in flight: enough to keep every worker busy, few enough that none times out queued. */
  readonly concurrency: number;
  readonly priority: NonNullable<EmbedOptions['priority']>;
  /** The precision every chunk asks for; the priority's (or core's fp32) when undefined. */
  readonly precision?: string | undefined;
  /** The prompt every chunk asks for (`--input-type`, `--prompt-name`). */
  readonly prompt?: Pick<EmbedOptions, 'inputType' | 'promptName'> | undefined;
  /** Each chunk's pipeline timeout, queueing included; `batching.requestTimeoutMs` when undefined. */
  readonly timeoutMs?: number | undefined;
}

/**
 * The per-chunk timeout the file commands use. `concurrency` already bounds what a file job
 * queues, so the HTTP default (30 s) would only fail a whole file on a slow or busy machine
 * (long texts, other work on the cores); a chunk that takes this long means the runtime hangs.
 */
export const FILE_JOB_CHUNK_TIMEOUT_MS = 600_000;

export interface EmbeddedChunk {
  /** Index of the chunk's first text in the input. */
  readonly start: number;
  /** The model's fp32 output of the served variant. */
  readonly vectors: Float32Array[];
  /** The same vectors in the served precision's format. */
  readonly quantized: QuantizedVector[];
  readonly precision: ResolvedPrecision;
}

/**
 * Embeds many texts as a series of ordinary pipeline requests (chunks), keeping `concurrency`
 * in flight, and yields the chunks strictly in input order. A failed chunk ends the run with its
 * error; chunks still in flight then settle unobserved.
 *
 * @example
 * for await (const { start, vectors } of embedChunks(runtime.pipeline, texts, { chunk: 256, concurrency: 4, priority: 'background' })) write(start, vectors);
 */
export async function* embedChunks(pipeline: ChunkEmbedder, texts: readonly string[], options: ChunkOptions): AsyncGenerator<EmbeddedChunk> {
  const inFlight: { start: number; result: Promise<EmbedResult> }[] = [];
  let next = 0;
  const launch = (): void => {
    const start = next;
    next = Math.min(texts.length, next + options.chunk);
    const result = pipeline.embed(texts.slice(start, next), { priority: options.priority, precision: options.precision, timeoutMs: options.timeoutMs, ...options.prompt });
    // Awaited below in order; this only keeps a chunk that fails after an earlier one from being reported as unhandled.
    result.catch(() => {});
    inFlight.push({ start, result });
  };
  while (next < texts.length && inFlight.length < options.concurrency) launch();
  while (inFlight.length > 0) {
    const { start, result } = inFlight.shift()!;
    const { vectors, precision } = await result;
    if (next < texts.length) launch();
    yield { start, vectors: vectors.map((v) => v.values), quantized: vectors.map((v) => v.quantized), precision };
  }
}
