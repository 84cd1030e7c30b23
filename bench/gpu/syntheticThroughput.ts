import { performance } from 'node:perf_hooks';
import { Tensor, type InferenceSession } from 'onnxruntime-node';

export interface ShapeResult {
  readonly batch: number;
  readonly seq: number;
  readonly iterations: number;
  readonly msPerBatch: number;
  readonly seqPerSec: number;
}

/** Random word pieces between [CLS] and [SEP], every row full length: the fixed bs × seq shape. */
export function fullLengthFeeds(batch: number, seq: number, seed = 7): Record<string, Tensor> {
  let state = seed;
  const ids = new BigInt64Array(batch * seq);
  for (let i = 0; i < ids.length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const position = i % seq;
    ids[i] = BigInt(position === 0 ? 101 : position === seq - 1 ? 102 : 1000 + (state % 29000));
  }
  return {
    input_ids: new Tensor('int64', ids, [batch, seq]),
    attention_mask: new Tensor('int64', new BigInt64Array(batch * seq).fill(1n), [batch, seq]),
    token_type_ids: new Tensor('int64', new BigInt64Array(batch * seq), [batch, seq]),
  };
}

/**
 * Sequences per second at one shape, inputs from and outputs to host memory (what the service
 * does). Two untimed runs first: the first one on WebGPU compiles the shaders for the shape.
 */
export async function syntheticThroughput(session: InferenceSession, batch: number, seq: number, minSeconds = 3, minIterations = 5): Promise<ShapeResult> {
  const feeds = fullLengthFeeds(batch, seq);
  for (let i = 0; i < 2; i++) dispose(await session.run(feeds));
  let iterations = 0;
  const start = performance.now();
  while (iterations < minIterations || performance.now() - start < minSeconds * 1000) {
    dispose(await session.run(feeds));
    iterations++;
  }
  const msPerBatch = (performance.now() - start) / iterations;
  return { batch, seq, iterations, msPerBatch, seqPerSec: (batch * 1000) / msPerBatch };
}

export function dispose(outputs: InferenceSession.OnnxValueMapType): void {
  for (const output of Object.values(outputs)) output.dispose();
}
