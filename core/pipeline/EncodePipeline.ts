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
import { ATTRIBUTES, inSpan, markFailed, pipelineTracer, SPAN_NAMES } from './tracing.js';
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

  /** One request, traced as an `embedline.embed` span under the caller's active span, if any. */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const startedAt = Date.now();
    const priority = options.priority ?? 'normal';
    const requestId = options.requestId ?? randomUUID();
    const attributes = { [ATTRIBUTES.requestId]: requestId, [ATTRIBUTES.priority]: priority };
    return pipelineTracer().startActiveSpan(SPAN_NAMES.request, { attributes }, async (span) => {
      let ctx: EmbedContext | undefined;
      try {
        assertTexts(texts);
        span.setAttribute(ATTRIBUTES.texts, texts.length);
        ctx = new EmbedContext(requestId, texts, priority, this.config.model.variant, startedAt);
        ctx.spanContext = span.spanContext();
        const result = await this.run(ctx, options);
        span.setAttribute(ATTRIBUTES.promptTokens, result.promptTokens);
        this.report(requestId, priority, texts.length, result.promptTokens, startedAt);
        return result;
      } catch (cause) {
        const error = toEmbedlineError(cause);
        markFailed(span, error);
        this.report(requestId, priority, Array.isArray(texts) ? texts.length : 0, promptTokensOf(ctx), startedAt, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** Tokenize → request stages → batcher → result stages; each step a child span of the request's. */
  private async run(ctx: EmbedContext, options: EmbedOptions): Promise<EmbedResult> {
    const tokens = await inSpan(SPAN_NAMES.tokenize, () => this.runtime.tokenizer.tokenize(ctx.texts));
    ctx.tokenCounts = tokens.map((t) => t.ids.length);
    if (this.requestStages.length > 0) {
      await inSpan(SPAN_NAMES.preProcess, async () => {
        for (const stage of this.requestStages) await stage.beforeBatch(ctx);
      }, { [ATTRIBUTES.stages]: this.requestStages.map((s) => s.name) });
    }
    const timeoutMs = options.timeoutMs ?? this.config.batching.requestTimeoutMs;
    // Queue wait, batch, inference and pooling spans come from the batcher (BatchTrace).
    await submitPending(ctx, tokens, this.batcher, { deadline: ctx.startedAt + timeoutMs, signal: options.signal });
    const vectors = await inSpan(SPAN_NAMES.postProcess, async () => {
      for (const stage of this.resultStages) await stage.afterInference(ctx);
      return ctx.outputs ?? ctx.vectors.map((values) => ({ values: values!, precision: 'fp32' as const }));
    }, { [ATTRIBUTES.stages]: this.resultStages.map((s) => s.name) });
    return { vectors, promptTokens: promptTokensOf(ctx) };
  }

  private report(requestId: string, priority: EmbedContext['priority'], count: number, promptTokens: number, startedAt: number, error?: EmbedlineError): void {
    const event = { requestId, priority, texts: count, promptTokens, latencyMs: Date.now() - startedAt, error };
    notifyObservers(this.observers, (o) => o.onRequest?.(event));
  }
}

function promptTokensOf(ctx: EmbedContext | undefined): number {
  return ctx ? ctx.tokenCounts.reduce((sum, n) => sum + n, 0) : 0;
}

function assertTexts(texts: unknown): asserts texts is readonly string[] {
  if (!Array.isArray(texts)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'texts must be an array of strings');
  texts.forEach((text: unknown, index) => {
    if (typeof text !== 'string') throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `input[${index}] must be a string, got ${text === null ? 'null' : typeof text}`, { index });
  });
}

export const ENCODE_PIPELINE: ServiceIdentifier<EncodePipeline> = Symbol.for('embedline.EncodePipeline');
