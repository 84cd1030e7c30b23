import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchFeedback } from '../../core/ports/BatchSizePolicy.js';
import type { PipelineObserver, RequestCompleted } from '../../core/ports/PipelineObserver.js';
import type { Priority } from '../../core/pipeline/types.js';
import { DEFAULT_MODEL } from '../../core/model/catalogue.js';

type RequestLabel = 'model' | 'priority' | 'outcome';

const GAUGES_NAMED_LIKE_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Pipeline metrics in Prometheus form, on a Registry this object owns (prom-client's global
 * registry collides across tests and warm Lambda invocations). Observes the pipeline only.
 *
 * @example
 * const metrics = new PipelineMetrics();
 * const container = buildContainer(config, catalogue, [observerModule(metrics)]);
 * reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
 */
export class PipelineMetrics implements PipelineObserver {
  readonly registry = new Registry();
  private readonly requests = new Counter<RequestLabel>({ name: 'embedline_requests_total', help: 'Embed requests by priority and outcome (ok or error code).', labelNames: ['model', 'priority', 'outcome'], registers: [this.registry] });
  private readonly latency = new Histogram<'model' | 'priority'>({ name: 'embedline_request_duration_seconds', help: 'End-to-end embed request latency.', labelNames: ['model', 'priority'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly texts = new Counter<'model'>({ name: 'embedline_texts_total', help: 'Texts embedded.', labelNames: ['model'], registers: [this.registry] });
  private readonly tokens = new Counter<'model'>({ name: 'embedline_tokens_total', help: 'Word pieces embedded (rate() gives tokens/s).', labelNames: ['model'], registers: [this.registry] });
  private readonly errors = new Counter<'model' | 'code'>({ name: 'embedline_errors_total', help: 'Failed embed requests by error code.', labelNames: ['model', 'code'], registers: [this.registry] });
  private readonly batchSize = new Histogram<'model' | 'device'>({ name: 'embedline_batch_size', help: 'Texts per inference batch.', labelNames: ['model', 'device'], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [this.registry] });
  private readonly batchTokens = new Histogram<'model' | 'device'>({ name: 'embedline_batch_padded_tokens', help: 'Padded tokens (rows x longest row) per batch.', labelNames: ['model', 'device'], buckets: [64, 256, 1024, 2048, 4096, 8192, 16384, 65536], registers: [this.registry] });
  private readonly batchPadding = new Counter<'model' | 'device'>({ name: 'embedline_batch_padding_tokens_total', help: 'Padding positions sent to inference (rows x longest row, minus real tokens); over the padded_tokens sum it is the padding share.', labelNames: ['model', 'device'], registers: [this.registry] });
  private readonly batchInfer = new Histogram<'model' | 'device'>({ name: 'embedline_batch_inference_seconds', help: 'ONNX Runtime time per batch.', labelNames: ['model', 'device'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly queueWait = new Histogram<'model'>({ name: 'embedline_batch_queue_wait_seconds', help: 'Mean time texts of a batch waited in the queue.', labelNames: ['model'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly batchErrors = new Counter<'model'>({ name: 'embedline_batch_errors_total', help: 'Inference batches that failed.', labelNames: ['model'], registers: [this.registry] });
  private readonly precisionRequests = new Counter<'model' | 'precision' | 'outcome'>({ name: 'embedline_precision_requests_total', help: 'Embed requests by served precision (unresolved: failed before one was chosen, e.g. an unknown name) and outcome.', labelNames: ['model', 'precision', 'outcome'], registers: [this.registry] });
  private readonly precisionVectors = new Counter<'model' | 'precision'>({ name: 'embedline_precision_vectors_total', help: 'Vectors returned by served precision.', labelNames: ['model', 'precision'], registers: [this.registry] });
  private readonly queueDepth = new Gauge<'model'>({ name: 'embedline_queue_depth', help: 'Texts waiting to be batched.', labelNames: ['model'], registers: [this.registry] });

  /** The `model` label of events this object observes itself (a single-model process). */
  private readonly defaultModel: string;

  constructor(options: { defaultMetrics?: boolean; model?: string } = {}) {
    this.defaultModel = options.model ?? DEFAULT_MODEL;
    // Used as the observer itself (one model): that model's series exist from the start too.
    if (options.model !== undefined) this.startSeries(options.model);
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: 'embedline_' });
      // prom-client names these gauges `*_total`, a suffix Prometheus keeps for counters, and
      // `promtool check metrics` rejects the whole /metrics page for them.
      for (const name of GAUGES_NAMED_LIKE_COUNTERS) this.registry.removeSingleMetric(`embedline_${name}`);
    }
  }

  /**
   * The observer for one served model's pipeline: the same metrics, labelled `model="<id>"`, so
   * several models share one registry (one HELP/TYPE per metric) and stay apart in queries.
   */
  forModel(model: string): PipelineObserver {
    this.startSeries(model);
    return {
      onRequest: (event) => this.recordRequest(model, event),
      onBatch: (event) => this.recordBatch(model, event),
      onQueueDepth: (queuedTexts) => this.queueDepth.set({ model }, queuedTexts),
    };
  }

  /**
   * Counters that only move on success or failure exist at 0 from the start, as unlabelled ones
   * did: a dashboard's rate() and an alert on batch errors need the series before the first event.
   */
  private startSeries(model: string): void {
    this.texts.inc({ model }, 0);
    this.tokens.inc({ model }, 0);
    this.batchErrors.inc({ model }, 0);
    this.queueDepth.set({ model }, 0);
  }

  onRequest(event: RequestCompleted): void {
    this.recordRequest(this.defaultModel, event);
  }

  onBatch(event: BatchEvent): void {
    this.recordBatch(this.defaultModel, event);
  }

  onQueueDepth(queuedTexts: number): void {
    this.queueDepth.set({ model: this.defaultModel }, queuedTexts);
  }

  private recordRequest(model: string, event: RequestCompleted): void {
    const outcome = event.error ? event.error.code : 'ok';
    this.requests.inc({ model, priority: event.priority, outcome });
    this.latency.observe({ model, priority: event.priority }, event.latencyMs / 1000);
    // Names come from the precision policy's configured table, so the label set stays bounded.
    const precision = event.precision ?? 'unresolved';
    this.precisionRequests.inc({ model, precision, outcome });
    if (event.error) this.errors.inc({ model, code: event.error.code });
    else {
      this.precisionVectors.inc({ model, precision }, event.texts);
      this.texts.inc({ model }, event.texts);
      this.tokens.inc({ model }, event.promptTokens);
    }
  }

  private recordBatch(model: string, event: BatchEvent): void {
    if (event.error) {
      this.batchErrors.inc({ model });
      return;
    }
    const labels = { model, device: event.device };
    this.batchSize.observe(labels, event.size);
    this.batchTokens.observe(labels, event.size * event.seqLen);
    this.batchPadding.inc(labels, event.size * event.seqLen - event.realTokens);
    this.batchInfer.observe(labels, event.inferMs / 1000);
    this.queueWait.observe({ model }, event.queueWaitMs / 1000);
  }
}

type BatchEvent = BatchFeedback & { batchId: number; priority: Priority; error?: unknown };
