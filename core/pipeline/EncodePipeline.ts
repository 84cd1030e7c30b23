import { randomUUID } from 'node:crypto';
import { inject, injectable, multiInject, optional, type ServiceIdentifier } from 'inversify';
import type { EmbedlineConfig } from '../config/schema.js';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import { EmbedlineError, toEmbedlineError } from '../errors.js';
import { BATCHER, type Batcher } from '../ports/Batcher.js';
import { MODEL_RUNTIME, type ModelRuntime } from '../ports/ModelRuntime.js';
import { PIPELINE_OBSERVER, type PipelineObserver } from '../ports/PipelineObserver.js';
import { PRECISION_POLICY, type PrecisionPolicy } from '../ports/PrecisionPolicy.js';
import { REQUEST_STAGE, type RequestStage } from '../ports/RequestStage.js';
import { RESULT_STAGE, type ResultStage } from '../ports/ResultStage.js';
import { EmbedContext } from './EmbedContext.js';
import { modelInputs, resolvePrompt } from './modelInput.js';
import { notifyObservers } from './notifyObservers.js';
import { requestDeadline } from './requestDeadline.js';
import { submitPending } from './submitPending.js';
import { ATTRIBUTES, inSpan, markFailed, pipelineTracer, SPAN_NAMES } from './tracing.js';
import type { EmbedOptions, EmbedResult } from './types.js';
import type { ResolvedPrecision } from '../ports/PrecisionPolicy.js';

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
  /** The request stages with each hook, split once here rather than per request. */
  private readonly tokenizeStages: readonly RequestStage[];
  private readonly batchStages: readonly RequestStage[];
  private readonly resultStages: readonly ResultStage[];
  private readonly observers: readonly PipelineObserver[];

  constructor(
    @inject(EMBEDLINE_CONFIG) private readonly config: Readonly<EmbedlineConfig>,
    @inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    @inject(BATCHER) private readonly batcher: Batcher,
    @inject(PRECISION_POLICY) private readonly precision: PrecisionPolicy,
    @multiInject(REQUEST_STAGE) @optional() requestStages: RequestStage[] | undefined,
    @multiInject(RESULT_STAGE) @optional() resultStages: ResultStage[] | undefined,
    @multiInject(PIPELINE_OBSERVER) @optional() observers: PipelineObserver[] | undefined,
  ) {
    this.requestStages = [...(requestStages ?? [])].sort((a, b) => a.order - b.order);
    this.tokenizeStages = this.requestStages.filter((s) => s.beforeTokenize);
    this.batchStages = this.requestStages.filter((s) => s.beforeBatch);
    this.resultStages = [...(resultStages ?? [])].sort((a, b) => a.order - b.order);
    this.observers = observers ?? [];
  }

  get dimensions(): number {
    return this.runtime.model.dimensions;
  }

  /** The loaded model's directory (its calibration lives there: GET /v1/models/{id}/quantization). */
  get modelDir(): string {
    return this.runtime.model.dir;
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
      const timeoutMs = options.timeoutMs ?? this.config.batching.requestTimeoutMs;
      const deadline = requestDeadline(timeoutMs, options.signal);
      try {
        assertTexts(texts);
        span.setAttribute(ATTRIBUTES.texts, texts.length);
        // The prompt is part of the text from here on: request stages (the cache's text key) see what the model sees.
        const { definition } = this.runtime.model;
        const inputs = modelInputs(texts, resolvePrompt(definition, this.runtime.model.name, options), definition.doLowerCase);
        // Resolved first: the variant decides the batches (and the cache's keys) from here on.
        const served = this.precision.resolve(options.precision, priority);
        ctx = new EmbedContext(requestId, inputs, priority, served.variant, startedAt, startedAt + timeoutMs, deadline.signal, options.precision, served);
        ctx.spanContext = span.spanContext();
        const result = await this.run(ctx, served);
        span.setAttribute(ATTRIBUTES.promptTokens, result.promptTokens);
        this.report(requestId, priority, texts.length, result.promptTokens, startedAt, undefined, result.precision.name);
        return result;
      } catch (cause) {
        const error = toEmbedlineError(cause);
        markFailed(span, error);
        this.report(requestId, priority, Array.isArray(texts) ? texts.length : 0, promptTokensOf(ctx), startedAt, error, ctx?.served?.name);
        throw error;
      } finally {
        deadline.dispose();
        span.end();
      }
    });
  }

  /** Request stages → tokenize pending → request stages → batcher → result stages; each step a child span. */
  private async run(ctx: EmbedContext, resolved: ResolvedPrecision): Promise<EmbedResult> {
    await this.runStages(SPAN_NAMES.preProcess, this.tokenizeStages, ctx, (s) => s.beforeTokenize!(ctx));
    const pending = ctx.pending();
    if (pending.length > 0) {
      // A text repeated in the request is tokenized once (and, with the same ids, inferred once: submitPending).
      const unique = [...new Set(pending.map((i) => ctx.texts[i]!))];
      // Refused before tokenizing, unless a beforeBatch stage (a token-keyed cache) may still answer.
      if (this.batchStages.length === 0) this.batcher.admit?.(ctx.priority, unique.length, ctx.deadline - Date.now());
      const tokens = await inSpan(SPAN_NAMES.tokenize, () => this.runtime.tokenizer.tokenize(unique));
      const byText = new Map(unique.map((text, k) => [text, tokens[k]!.ids]));
      for (const textIndex of pending) {
        const ids = byText.get(ctx.texts[textIndex]!)!;
        ctx.tokenIds[textIndex] = ids;
        // Every occurrence counts towards prompt_tokens, as if sent in requests of its own.
        ctx.tokenCounts[textIndex] = ids.length;
      }
    }
    await this.runStages(SPAN_NAMES.preProcess, this.batchStages, ctx, (s) => s.beforeBatch!(ctx));
    // Queue wait, batch, inference and pooling spans come from the batcher (BatchTrace).
    await submitPending(ctx, this.batcher);
    await this.runStages(SPAN_NAMES.postProcess, this.resultStages, ctx, (s) => s.afterInference(ctx));
    // A stage may have moved the request to another variant; the report says what really ran.
    const served = ctx.variant === resolved.variant ? resolved : { ...resolved, variant: ctx.variant };
    return {
      vectors: ctx.vectors.map((values) => ({ values: values!, quantized: this.precision.format(values!, served) })),
      precision: served,
      promptTokens: promptTokensOf(ctx),
      sources: ctx.texts.map((_, i) => ctx.sourceOf(i) ?? 'computed'),
      attributes: ctx.attributes,
    };
  }

  /** Runs stages in order; a stage's unexpected failure becomes EMBEDLINE_STAGE_FAILED naming it. */
  private async runStages<S extends { readonly name: string }>(spanName: string, stages: readonly S[], ctx: EmbedContext, call: (stage: S) => Promise<void> | void): Promise<void> {
    // Post-processing always gets its span (it is where the response is assembled); pre-processing only when a stage runs.
    if (stages.length === 0 && spanName !== SPAN_NAMES.postProcess) return;
    await inSpan(spanName, async () => {
      for (const stage of stages) {
        // requestDeadline aborts only with an EmbedlineError (timeout or cancellation).
        if (ctx.signal.aborted) throw ctx.signal.reason as EmbedlineError;
        try {
          await call(stage);
        } catch (cause) {
          if (cause instanceof EmbedlineError) throw cause;
          throw new EmbedlineError('EMBEDLINE_STAGE_FAILED', `Pipeline stage "${stage.name}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { stage: stage.name }, { cause });
        }
      }
    }, { [ATTRIBUTES.stages]: stages.map((s) => s.name) });
  }

  private report(requestId: string, priority: EmbedContext['priority'], count: number, promptTokens: number, startedAt: number, error?: EmbedlineError, precision?: string): void {
    const event = { requestId, priority, texts: count, promptTokens, latencyMs: Date.now() - startedAt, error, precision };
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
