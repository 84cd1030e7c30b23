import { SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { expect } from 'chai';
import { createHttpServer } from '../../../adapters/http/createHttpServer.js';
import { startTracing, type Tracing } from '../../../adapters/otel/startTracing.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { configSchema } from '../../../core/config/schema.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { startTestRuntime, testCacheDir } from '../../support/runtime.js';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlpReceiver.js';

/** Fills one batch of the runtime below, which sends a batch only when it is full. */
const FOUR_TEXTS = ['one from a traced caller', 'two from a traced caller', 'three from a traced caller', 'four from a traced caller'];

const tracingConfig = (overrides: Record<string, unknown> = {}) => configSchema.parse({ tracing: overrides }).tracing;

const childrenOf = (spans: readonly ReadableSpan[], parent: ReadableSpan): ReadableSpan[] => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
const named = (spans: readonly ReadableSpan[], name: string): ReadableSpan[] => spans.filter((s) => s.name === name);

/**
 * One runtime for the whole file; each describe installs the tracing it checks. A batch goes
 * only when it is full (four texts): the wait for company is far longer than any test and
 * applies even to an idle worker. So the three requests below (four texts) meet in one batch
 * however slowly they arrive, and every other request sends four texts of its own.
 */
describe('tracing on the real model', () => {
  let runtime: EmbedlineRuntime;

  before(async () => {
    runtime = await startTestRuntime({ batching: { maxBatchSize: 4, maxWaitMs: 10_000, maxPaddingRatio: 1, dispatchWhenIdle: false } });
  });

  after(async () => runtime?.close());

  describe('tracing of the pipeline on the real model', () => {
    const exporter = new InMemorySpanExporter();
    let tracing: Tracing;

    before(() => {
      tracing = startTracing(tracingConfig(), { extraProcessors: [new SimpleSpanProcessor(exporter)] });
    });

    after(async () => tracing?.shutdown());

    beforeEach(() => exporter.reset());

    describe('three requests that share one batch', () => {
      let spans: ReadableSpan[];
      let requests: ReadableSpan[];
      let batch: ReadableSpan;

      beforeEach(async () => {
        await Promise.all([
          runtime.pipeline.embed(['first request'], { priority: 'critical', requestId: 'req-1' }),
          runtime.pipeline.embed(['second request', 'has two texts'], { priority: 'critical', requestId: 'req-2' }),
          runtime.pipeline.embed(['third request'], { priority: 'critical', requestId: 'req-3' }),
        ]);
        spans = exporter.getFinishedSpans();
        requests = named(spans, 'embedline.embed');
        expect(named(spans, 'embedline.batch'), 'one batch').to.have.length(1);
        batch = named(spans, 'embedline.batch')[0]!;
      });

      it('gives each request a root span with its id, priority, texts and tokens', () => {
        expect(requests.map((r) => r.attributes['embedline.request.id']).sort()).to.deep.equal(['req-1', 'req-2', 'req-3']);
        for (const request of requests) {
          expect(request.parentSpanContext).to.equal(undefined);
          expect(request.attributes['embedline.priority']).to.equal('critical');
          expect(request.attributes['embedline.prompt_tokens']).to.be.greaterThan(2);
        }
        expect(requests.find((r) => r.attributes['embedline.request.id'] === 'req-2')!.attributes['embedline.texts']).to.equal(2);
      });

      it('puts tokenize, queue wait and post-process under every request, in that order', () => {
        for (const request of requests) {
          const children = childrenOf(spans, request).filter((s) => s.name !== 'embedline.batch');
          const byStart = [...children].sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);

          expect(byStart.map((s) => s.name)).to.deep.equal(['embedline.tokenize', 'embedline.queue_wait', 'embedline.post_process']);
        }
      });

      it('puts the batch span under the first request and links it to the others', () => {
        const parent = requests.find((r) => r.spanContext().spanId === batch.parentSpanContext?.spanId);
        const others = requests.filter((r) => r !== parent).map((r) => r.spanContext().spanId);

        expect(parent, 'batch parent is a request span').to.not.equal(undefined);
        expect(batch.spanContext().traceId).to.equal(parent!.spanContext().traceId);
        expect(batch.links.map((l) => l.context.spanId).sort()).to.deep.equal(others.sort());
      });

      it('links every queue wait span to the batch that carried its texts', () => {
        for (const wait of named(spans, 'embedline.queue_wait')) {
          expect(wait.links.map((l) => l.context.spanId)).to.deep.equal([batch.spanContext().spanId]);
        }
      });

      it('records batch size, requests, priority and device on the batch span', () => {
        expect(batch.attributes).to.include({ 'embedline.batch.size': 4, 'embedline.batch.requests': 3, 'embedline.priority': 'critical', 'embedline.model.variant': 'fp32' });
        expect(batch.attributes['embedline.device']).to.be.a('string').and.match(/cpu/);
        expect(batch.attributes['embedline.batch.seq_len']).to.be.greaterThan(2);
      });

      it('puts inference then pooling under the batch, on its device', () => {
        const [infer, pool] = ['embedline.infer', 'embedline.pool'].map((name) => childrenOf(spans, batch).find((s) => s.name === name)!);

        expect(infer!.attributes['embedline.device']).to.equal(batch.attributes['embedline.device']);
        expect(pool!.attributes['embedline.device']).to.equal(batch.attributes['embedline.device']);
        expect(infer!.endTime).to.deep.equal(pool!.startTime);
      });
    });

    it('notes a caller mistake on the request span without marking it an error', async () => {
      await runtime.pipeline.embed(['fine', 42 as unknown as string]).catch(() => undefined);
      const [request] = named(exporter.getFinishedSpans(), 'embedline.embed');

      expect(request!.attributes['error.type']).to.equal('EMBEDLINE_BAD_INPUT');
      expect(request!.status.code).to.equal(SpanStatusCode.UNSET);
    });

    it('marks a request that ran out of time as an error', async () => {
      // Its one text waits for three more that never come (maxWaitMs is 10 s); the deadline is 50 ms.
      await runtime.pipeline.embed(['too late'], { timeoutMs: 50 }).catch(() => undefined);
      const failed = named(exporter.getFinishedSpans(), 'embedline.embed').find((s) => s.attributes['error.type'] === 'EMBEDLINE_TIMEOUT');

      expect(failed?.status.code).to.equal(SpanStatusCode.ERROR);
    });

    it('runs a request inside the caller’s active span', async () => {
      await trace.getTracer('test').startActiveSpan('caller', async (caller) => {
        await runtime.pipeline.embed(FOUR_TEXTS);
        caller.end();
      });
      const spans = exporter.getFinishedSpans();
      const [caller] = named(spans, 'caller');

      expect(named(spans, 'embedline.embed')[0]!.parentSpanContext?.spanId).to.equal(caller!.spanContext().spanId);
    });

    it('continues the trace an HTTP caller sends in traceparent', async () => {
      const config = configSchema.parse({ cacheDir: testCacheDir() });
      const app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => runtime.pipeline });
      const [traceId, callerSpanId] = ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'];
      try {
        for (const url of ['/v1/embeddings', '/embed']) {
          const payload = url === '/embed' ? { inputs: FOUR_TEXTS } : { input: FOUR_TEXTS };
          const response = await app.inject({ method: 'POST', url, payload, headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } });
          expect(response.statusCode).to.equal(200);
        }
      } finally {
        await app.close();
      }

      const requests = named(exporter.getFinishedSpans(), 'embedline.embed');
      expect(requests).to.have.length(2);
      for (const request of requests) {
        expect(request.spanContext().traceId).to.equal(traceId);
        expect(request.parentSpanContext?.spanId).to.equal(callerSpanId);
      }
    });
  });

  describe('tracing exporters', () => {
    it('registers nothing with the default exporter, none', async () => {
      const tracing = startTracing(tracingConfig());

      expect(tracing.enabled).to.equal(false);
      await tracing.shutdown();
    });

    describe('otlp', () => {
      let receiver: OtlpReceiver;

      before(async () => {
        receiver = await startOtlpReceiver();
      });
      after(() => receiver?.close());

      it('sends the spans of a request to the configured endpoint', async () => {
        const tracing = startTracing(tracingConfig({ exporter: 'otlp', endpoint: receiver.tracesUrl, serviceName: 'embedline-test' }));
        try {
          await runtime.pipeline.embed(FOUR_TEXTS);
        } finally {
          await tracing.shutdown();
        }
        const sent = receiver.bodies.join('\n');

        expect(tracing.enabled).to.equal(true);
        expect(sent).to.contain('embedline.embed').and.contain('embedline.batch').and.contain('embedline-test');
      });
    });
  });
});
