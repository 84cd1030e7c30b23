import { expect } from 'chai';
import { embedChunks, type ChunkEmbedder } from '../../../../adapters/cli/embed/embedChunks.js';
import type { EmbedOptions, EmbedResult } from '../../../../core/pipeline/types.js';

/** A pipeline whose requests the test settles by hand, to control the order results arrive in. */
class HeldPipeline implements ChunkEmbedder {
  readonly calls: { texts: readonly string[]; options: EmbedOptions | undefined; settle: (error?: Error) => void }[] = [];

  embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbedResult> {
    return new Promise((resolve, reject) => {
      const result: EmbedResult = { vectors: texts.map((t) => ({ values: Float32Array.of(Number(t)), quantized: { format: 'float32' as const, dimensions: 1, data: Float32Array.of(Number(t)) } })), promptTokens: 0, sources: [], attributes: new Map(), precision: { name: 'fp32', variant: 'fp32', format: 'float32' } };
      this.calls.push({ texts, options, settle: (error) => (error ? reject(error) : resolve(result)) });
    });
  }
}

const texts = Array.from({ length: 10 }, (_, i) => String(i));

describe('embedChunks', () => {
  it('keeps at most `concurrency` requests in flight and yields chunks in input order when later ones finish first', async () => {
    const pipeline = new HeldPipeline();
    const chunks = embedChunks(pipeline, texts, { chunk: 3, concurrency: 2, priority: 'background' });

    const first = chunks.next();
    await Promise.resolve();
    expect(pipeline.calls.map((c) => c.texts)).to.deep.equal([['0', '1', '2'], ['3', '4', '5']]);
    pipeline.calls[1]!.settle();
    pipeline.calls[0]!.settle();
    expect((await first).value).to.deep.include({ start: 0, vectors: [0, 1, 2].map((n) => Float32Array.of(n)) });
    expect(pipeline.calls).to.have.length(3);

    const rest: number[] = [];
    const collect = (async () => {
      for await (const { start } of chunks) rest.push(start);
    })();
    for (let i = 2; i < 4; i++) {
      await new Promise(setImmediate);
      pipeline.calls[i]!.settle();
    }
    await collect;
    expect(rest).to.deep.equal([3, 6, 9]);
    expect(pipeline.calls.map((c) => c.texts.length)).to.deep.equal([3, 3, 3, 1]);
  });

  it('ends with the error of a failed chunk', async () => {
    const pipeline = new HeldPipeline();
    const chunks = embedChunks(pipeline, texts, { chunk: 5, concurrency: 2, priority: 'normal' });

    const first = chunks.next();
    await Promise.resolve();
    pipeline.calls[1]!.settle(new Error('second chunk failed'));
    pipeline.calls[0]!.settle();
    await first;

    const error = await chunks.next().then(() => null, (e: unknown) => e);
    expect((error as Error).message).to.equal('second chunk failed');
  });

  it('yields nothing for no texts', async () => {
    const pipeline = new HeldPipeline();
    const seen: unknown[] = [];

    for await (const chunk of embedChunks(pipeline, [], { chunk: 4, concurrency: 2, priority: 'normal' })) seen.push(chunk);

    expect([seen, pipeline.calls]).to.deep.equal([[], []]);
  });

  it('gives every chunk the job\'s timeout, priority and precision', async () => {
    const pipeline = new HeldPipeline();
    const chunks = embedChunks(pipeline, texts, { chunk: 5, concurrency: 2, priority: 'background', precision: 'int8', timeoutMs: 600_000 });
    const first = chunks.next();
    await Promise.resolve();
    for (const call of pipeline.calls) call.settle();
    await first;

    expect(pipeline.calls.map((c) => c.options)).to.deep.equal([
      { priority: 'background', precision: 'int8', timeoutMs: 600_000 },
      { priority: 'background', precision: 'int8', timeoutMs: 600_000 },
    ]);
  });
});
