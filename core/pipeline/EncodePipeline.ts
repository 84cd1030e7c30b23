import { randomUUID } from 'node:crypto';
import { inject, injectable, multiInject, optional, type ServiceIdentifier } from 'inversify';
import type { EmbedlineConfig } from '../config/schema.js';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import { EmbedlineError, toEmbedlineError } from '../errors.js';
import { BATCHER, type Batcher } from '../ports/Batcher.js';
import { MODEL_RUNTIME, type ModelRuntime } from '../ports/ModelRuntime.js';
import { PIPELINE_OBSERVER, type PipelineObserver } from '../ports/PipelineObserver.js';
import { REQUEST_STAGE, type RequestStage } from '../ports/RequestStage.js';
import { RESULT_STAGE, type ResultStage } from '../ports/ResultStage.js';
import { EmbedContext } from './EmbedContext.js';
import { notifyObservers } from './notifyObservers.js';
import { submitPending } from './submitPending.js';
import type { EmbedOptions, EmbedResult } from './types.js';

/**
 * The encode pipeline: request stages → tokenize → batcher → device → result stages.
 * Everything pluggable is injected; this class only keeps the order and the bookkeeping.
 *
 * @example
 * const pipeline = container.get(ENCODE_PIPELINE);
 * const { vectors, promptTokens } = await pipeline.embed(['hello'], { priority: 'critical' });
 */
@injectable()
export class EncodePipeline {
  private readonly requestStages: readonly RequestStage[];
  private readonly resultStages: readonly ResultStage[];
  private readonly observers: readonly PipelineObserver[];

  constructor(
    @inject(EMBEDLINE_CONFIG) private readonly config: Readonly<EmbedlineConfig>,
    @inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    @inject(BATCHER) private readonly batcher: Batcher,
    @multiInject(REQUEST_STAGE) @optional() requestStages: RequestStage[] | undefined,
    @multiInject(RESULT_STAGE) @optional() resultStages: ResultStage[] | undefined,
    @multiInject(PIPELINE_OBSERVER) @optional() observers: PipelineObserver[] | undefined,
  ) {
    this.requestStages = [...(requestStages ?? [])].sort((a, b) => a.order - b.order);
    this.resultStages = [...(resultStages ?? [])].sort((a, b) => a.order - b.order);
    this.observers = observers ?? [];
  }

  get dimensions(): number {
    return this.runtime.model.dimensions;
  }

  get queuedTexts(): number {
    return this.batcher.queuedTexts;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const startedAt = Date.now();
    const priority = options.priority ?? 'normal';
    const requestId = options.requestId ?? randomUUID();
    let promptTokens = 0;
    try {
      assertTexts(texts);
      const ctx = new EmbedContext(requestId, texts, priority, this.config.model.variant, startedAt);
      const tokens = await this.runtime.tokenizer.tokenize(texts);
      ctx.tokenCounts = tokens.map((t) => t.ids.length);
      promptTokens = ctx.tokenCounts.reduce((sum, n) => sum + n, 0);
      for (const stage of this.requestStages) await stage.beforeBatch(ctx);
      const timeoutMs = options.timeoutMs ?? this.config.batching.requestTimeoutMs;
      await submitPending(ctx, tokens, this.batcher, { deadline: startedAt + timeoutMs, signal: options.signal });
      for (const stage of this.resultStages) await stage.afterInference(ctx);
      const vectors = ctx.outputs ?? ctx.vectors.map((values) => ({ values: values!, precision: 'fp32' as const }));
      this.report(requestId, priority, texts.length, promptTokens, startedAt);
      return { vectors, promptTokens };
    } catch (cause) {
      const error = toEmbedlineError(cause);
      this.report(requestId, priority, Array.isArray(texts) ? texts.length : 0, promptTokens, startedAt, error);
      throw error;
    }
  }

  private report(requestId: string, priority: EmbedContext['priority'], count: number, promptTokens: number, startedAt: number, error?: EmbedlineError): void {
    const event = { requestId, priority, texts: count, promptTokens, latencyMs: Date.now() - startedAt, error };
    notifyObservers(this.observers, (o) => o.onRequest?.(event));
  }
}

function assertTexts(texts: unknown): asserts texts is readonly string[] {
  if (!Array.isArray(texts)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'texts must be an array of strings');
  texts.forEach((text: unknown, index) => {
    if (typeof text !== 'string') throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `input[${index}] must be a string, got ${text === null ? 'null' : typeof text}`, { index });
  });
}

export const ENCODE_PIPELINE: ServiceIdentifier<EncodePipeline> = Symbol.for('embedline.EncodePipeline');
