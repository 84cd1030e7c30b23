import { expect } from 'chai';
import { loadConfig } from '../../../../core/config/loadConfig.js';
import { EmbedlineError } from '../../../../core/errors.js';
import type { Batcher } from '../../../../core/ports/Batcher.js';
import type { ModelRuntime } from '../../../../core/ports/ModelRuntime.js';
import type { RequestStage } from '../../../../core/ports/RequestStage.js';
import type { ResultStage } from '../../../../core/ports/ResultStage.js';
import type { EmbedContext } from '../../../../core/pipeline/EmbedContext.js';
import { EncodePipeline } from '../../../../core/pipeline/EncodePipeline.js';
import type { WorkItem } from '../../../../core/pipeline/types.js';
import { Fp32PrecisionPolicy } from '../../../../core/precision/Fp32PrecisionPolicy.js';

/** Tokenizer double: one id per character, and a record of what it was asked to tokenize. */
function fakeRuntime(tokenized: string[], prompts: Record<string, string> = {}, doLowerCase = false): ModelRuntime {
  const tokenizer = {
    tokenize: async (texts: readonly string[]) => {
      tokenized.push(...texts);
      return texts.map((t) => ({ ids: Int32Array.from([...t].map((c) => c.charCodeAt(0))) }));
    },
  };
  const definition = { pooling: { mode: 'mean', normalize: true }, maxSeqLength: 256, doLowerCase, prompts, defaultPromptName: undefined, promptsFrom: 'catalogue' };
  return { model: { name: 'fake', dimensions: 2, definition }, tokenizer } as unknown as ModelRuntime;
}

/** Batcher double: resolves each item at once with [length, 0]. */
class EchoBatcher implements Batcher {
  readonly submitted: WorkItem[] = [];
  admit?: Batcher['admit'];
  queuedTexts = 0;
  inFlightBatches = 0;
  submit(items: readonly WorkItem[]): void {
    this.submitted.push(...items);
    for (const item of items) item.resolve(Float32Array.from([item.ids.length, 0]), { batchId: 1, size: 1, seqLen: item.ids.length, device: 'echo', queueWaitMs: 0, inferMs: 0 });
  }
  async drain(): Promise<void> {}
}

/** Batcher double that never answers, to exercise deadlines and aborts. */
class SilentBatcher extends EchoBatcher {
  override submit(items: readonly WorkItem[]): void {
    this.submitted.push(...items);
  }
}

const config = loadConfig({});

function pipelineWith(batcher: Batcher, tokenized: string[], requestStages: RequestStage[] = [], resultStages: ResultStage[] = []): EncodePipeline {
  return new EncodePipeline(config, fakeRuntime(tokenized), batcher, new Fp32PrecisionPolicy(config), requestStages, resultStages, []);
}

describe('EncodePipeline', () => {
  it('prefixes the requested prompt before the request stages (the cache keys on it) and tokenization, lower-casing when the model says so', async () => {
    const tokenized: string[] = [];
    const seen: string[] = [];
    const stage: RequestStage = { name: 'cache', order: 1, beforeTokenize: (ctx: EmbedContext) => void seen.push(...ctx.texts) };
    const runtime = fakeRuntime(tokenized, { query: 'Query: ', passage: 'passage: ' }, true);
    const pipeline = new EncodePipeline(config, runtime, new EchoBatcher(), new Fp32PrecisionPolicy(config), [stage], [], []);
    await pipeline.embed(['Hi'], { inputType: 'query' });
    await pipeline.embed(['Hi'], { promptName: 'passage' });
    await pipeline.embed(['Hi']);
    expect(seen).to.deep.equal(['query: hi', 'passage: hi', 'hi']);
    expect(tokenized).to.deep.equal(seen);
  });

  it('refuses an unknown prompt name with EMBEDLINE_BAD_INPUT before anything is tokenized', async () => {
    const tokenized: string[] = [];
    const pipeline = new EncodePipeline(config, fakeRuntime(tokenized, { query: 'query: ' }), new EchoBatcher(), new Fp32PrecisionPolicy(config), [], [], []);
    const error = await pipeline.embed(['Hi'], { promptName: 'passage' }).catch((e: unknown) => e);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_BAD_INPUT');
    expect((error as EmbedlineError).message).to.contain('"query"');
    expect(tokenized).to.deep.equal([]);
  });

  it('tokenizes and queues only what a beforeTokenize stage left pending, and reports who supplied each vector', async () => {
    const tokenized: string[] = [];
    const batcher = new EchoBatcher();
    const cache: RequestStage = {
      name: 'cache',
      order: 1,
      beforeTokenize: (ctx: EmbedContext) => ctx.settle(1, Float32Array.from([9, 9]), 'cache'),
    };
    const result = await pipelineWith(batcher, tokenized, [cache]).embed(['ab', 'hit', 'abcd']);
    expect(tokenized).to.deep.equal(['ab', 'abcd']);
    expect(batcher.submitted.map((i) => i.ids.length).sort()).to.deep.equal([2, 4]);
    expect(result.sources).to.deep.equal(['computed', 'cache', 'computed']);
    expect(Array.from(result.vectors[1]!.values)).to.deep.equal([9, 9]);
    expect(result.promptTokens).to.equal(6);
  });

  it('asks the batcher to admit the request before tokenizing it, and tokenizes nothing it refuses', async () => {
    const tokenized: string[] = [];
    const asked: unknown[][] = [];
    const batcher = new EchoBatcher();
    batcher.admit = (...args: unknown[]) => {
      asked.push(args);
      throw new EmbedlineError('EMBEDLINE_OVERLOADED', 'busy', { retryAfterSeconds: 3 });
    };

    const error = await pipelineWith(batcher, tokenized).embed(['ab', 'cd', 'ab'], { priority: 'background', timeoutMs: 10_000 }).then(() => undefined, (e: unknown) => e);

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_OVERLOADED');
    expect(tokenized).to.deep.equal([]);
    expect(batcher.submitted).to.deep.equal([]);
    expect(asked).to.have.length(1);
    expect(asked[0]!.slice(0, 2)).to.deep.equal(['background', 2]); // the distinct texts it would queue
    expect(asked[0]![2]).to.be.within(0, 10_000);
  });

  it('leaves admission to submit when a beforeBatch stage may still answer from the token ids', async () => {
    const tokenized: string[] = [];
    const batcher = new EchoBatcher();
    batcher.admit = () => {
      throw new EmbedlineError('EMBEDLINE_OVERLOADED', 'busy');
    };
    const tokenCache: RequestStage = { name: 'token-cache', order: 1, beforeBatch: (ctx: EmbedContext) => ctx.settle(0, Float32Array.from([7, 7]), 'cache') };

    const result = await pipelineWith(batcher, tokenized, [tokenCache]).embed(['ab']);

    expect(tokenized).to.deep.equal(['ab']);
    expect(result.sources).to.deep.equal(['cache']);
  });

  it('tokenizes and infers a text repeated in one request once, gives every occurrence its own equal vector, and counts each occurrence\'s tokens', async () => {
    const tokenized: string[] = [];
    const batcher = new EchoBatcher();

    const result = await pipelineWith(batcher, tokenized).embed(['abc', 'xy', 'abc', 'abc']);

    expect(tokenized).to.deep.equal(['abc', 'xy']);
    expect(batcher.submitted.map((i) => i.ids.length).sort()).to.deep.equal([2, 3]);
    expect(result.vectors.map((v) => Array.from(v.values))).to.deep.equal([[3, 0], [2, 0], [3, 0], [3, 0]]);
    expect(result.sources).to.deep.equal(['computed', 'computed', 'computed', 'computed']);
    // Copies, not one shared array: a caller changing one vector cannot change another.
    expect(result.vectors[0]!.values).to.not.equal(result.vectors[2]!.values);
    expect(result.promptTokens).to.equal(3 + 2 + 3 + 3);
  });

  it('runs beforeBatch stages after tokenization, with token ids set, and lets them change the variant', async () => {
    const batcher = new EchoBatcher();
    const seen: (number | undefined)[] = [];
    const router: RequestStage = {
      name: 'router',
      order: 1,
      beforeBatch: (ctx: EmbedContext) => {
        seen.push(...ctx.tokenIds.map((ids) => ids?.length));
        ctx.variant = 'int8';
      },
    };
    await pipelineWith(batcher, [], [router]).embed(['abc', 'de']);
    expect(seen).to.deep.equal([3, 2]);
    expect(batcher.submitted.every((i) => i.variant === 'int8')).to.equal(true);
  });

  it('hands result stages the requested precision, deadline and provenance, and returns what they record', async () => {
    let observed: { precision: string | undefined; deadline: number; sources: unknown[] } | undefined;
    const recorder: ResultStage = {
      name: 'recorder',
      order: 1,
      afterInference: (ctx: EmbedContext) => {
        observed = { precision: ctx.precision, deadline: ctx.deadline, sources: ctx.texts.map((_, i) => ctx.sourceOf(i)) };
        ctx.attributes.set('recorder', 'done');
      },
    };
    const before = Date.now();
    const result = await pipelineWith(new EchoBatcher(), [], [], [recorder]).embed(['a'], { precision: 'fp32', timeoutMs: 5000 });
    expect(observed!.precision).to.equal('fp32');
    expect(observed!.deadline).to.be.within(before + 5000, Date.now() + 5000);
    expect(observed!.sources).to.deep.equal(['computed']);
    expect(result.attributes.get('recorder')).to.equal('done');
  });

  it('fails with EMBEDLINE_STAGE_FAILED naming the stage, keeping its error as cause', async () => {
    const boom = new TypeError('no such key');
    const broken: ResultStage = { name: 'broken-cache', order: 1, afterInference: () => { throw boom; } };
    const error = await pipelineWith(new EchoBatcher(), [], [], [broken]).embed(['a']).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EmbedlineError);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_STAGE_FAILED');
    expect((error as EmbedlineError).context.stage).to.equal('broken-cache');
    expect((error as EmbedlineError).cause).to.equal(boom);
  });

  it('passes a stage\'s deliberate EmbedlineError through unchanged', async () => {
    const strict: RequestStage = { name: 'strict', order: 1, beforeTokenize: () => { throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'unknown precision "int3"'); } };
    const error = await pipelineWith(new EchoBatcher(), [], [strict]).embed(['a']).catch((e: unknown) => e);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_BAD_INPUT');
  });

  it('times out with the configured timeout in the message, and marks the queued texts cancelled', async () => {
    const batcher = new SilentBatcher();
    const error = await pipelineWith(batcher, []).embed(['a'], { timeoutMs: 20 }).catch((e: unknown) => e);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_TIMEOUT');
    expect((error as EmbedlineError).message).to.contain('20 ms');
    expect(batcher.submitted[0]!.isCancelled()).to.equal(true);
  });

  it('cancels texts already queued when the caller aborts', async () => {
    const batcher = new SilentBatcher();
    const controller = new AbortController();
    const pending = pipelineWith(batcher, []).embed(['a', 'b'], { signal: controller.signal }).catch((e: unknown) => e);
    while (batcher.submitted.length < 2) await new Promise((r) => setImmediate(r));
    expect(batcher.submitted.every((i) => !i.isCancelled())).to.equal(true);
    controller.abort();
    const error = await pending;
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_CANCELLED');
    expect(batcher.submitted.every((i) => i.isCancelled())).to.equal(true);
  });
});
