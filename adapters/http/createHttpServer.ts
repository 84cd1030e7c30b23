import Fastify, { type FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { EmbedlineError, toEmbedlineError } from '../../core/errors.js';
import type { ModelRegistry } from '../../core/models/ModelRegistry.js';
import type { EncodePipeline } from '../../core/pipeline/EncodePipeline.js';
import type { MetricsRegistry } from '../../core/ports/MetricsRegistry.js';
import { pluginRegistries } from '../../core/runtime.js';
import { metricsPage } from '../prometheus/mergeExposition.js';
import { ModelMetrics } from '../prometheus/ModelMetrics.js';
import type { PipelineMetrics } from '../prometheus/PipelineMetrics.js';
import { sendError } from './errorResponse.js';
import { registryRouter, singlePipelineRouter, type ModelRouter } from './modelRouter.js';
import { registerEmbeddingRoutes } from './routes.js';
import { searchLookup, type SearchLookup } from './searchLookup.js';
import { registerSearchRoute } from './searchRoute.js';
import { TokenIdDecoder } from './tokenIds/TokenIdDecoder.js';

export interface HttpServerDeps {
  readonly config: Readonly<EmbedlineConfig>;
  readonly metrics: PipelineMetrics;
  /** Plugin registries (SLO tracker, memory pool, …) served after the pipeline's own metrics. */
  readonly pluginRegistries?: () => readonly MetricsRegistry[];
  /** One pipeline (no `models`): undefined until the model is loaded; /health answers 503 until then. */
  readonly pipeline?: () => EncodePipeline | undefined;
  /**
   * The served models (`embedline serve`): routes by the request's `model`, lists them at
   * /v1/models, reports each on /health and labels their plugin metrics by model.
   */
  readonly models?: ModelRegistry | undefined;
  /** Where POST /v1/search finds a model's search (default: each served model's runtime; none: EMBEDLINE_NOT_ENABLED). */
  readonly vectorSearch?: SearchLookup | undefined;
}

const OPEN_ROUTES = new Set(['/health', '/metrics']);

/**
 * The HTTP API on Fastify: OpenAI-compatible `/v1/embeddings`, TEI-compatible `/embed`,
 * `/v1/models`, `/health` and `/metrics`. Every error leaves as `{ error: { message, type, code } }`.
 *
 * @example
 * const app = createHttpServer({ config, metrics, models: registry }); // or, one runtime: pipeline: () => runtime.pipeline
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 */
export function createHttpServer(deps: HttpServerDeps): FastifyInstance {
  const { http } = deps.config;
  // Fastify's own 503 while closing (return503OnClosing) is untyped and says nothing about when
  // to retry; a request that arrives while the server drains gets ours instead: typed, with Retry-After.
  // Draining must not wait for keep-alive sockets: Fastify keeps them open for keepAliveTimeout
  // (72 s), longer than the shutdown grace, so a connection that carried a request when the drain
  // began would hold the exit past it once answered. 'idle' closes the sockets that carry no
  // request when close starts; the others are told to close with their response (the onSend hook
  // below), never cut mid-request.
  const app = Fastify({ bodyLimit: http.bodyLimitBytes, logger: false, forceCloseConnections: 'idle', return503OnClosing: false });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (closing) return sendError(reply.header('connection', 'close'), new EmbedlineError('EMBEDLINE_SHUTTING_DOWN', 'This server is shutting down; send the request again (to another instance).'));
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!http.apiKey || OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    if (!bearerMatches(request.headers.authorization, http.apiKey)) {
      return sendError(reply, new EmbedlineError('EMBEDLINE_UNAUTHORIZED', 'Send "Authorization: Bearer <api key>"; the key was missing or wrong.'));
    }
  });

  app.setErrorHandler((error, _request, reply) => {
    const fastifyError = error as { statusCode?: number; code?: string; message: string };
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, new EmbedlineError('EMBEDLINE_INPUT_TOO_LARGE', `The body exceeds ${http.bodyLimitBytes} bytes; send fewer or shorter inputs per request.`));
    }
    if (fastifyError.statusCode && fastifyError.statusCode < 500 && !(error instanceof EmbedlineError)) {
      return reply.status(fastifyError.statusCode).send({ error: { message: fastifyError.message, type: 'invalid_request_error', code: 'EMBEDLINE_BAD_INPUT' } });
    }
    return sendError(reply, toEmbedlineError(error));
  });

  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: { message: `No route ${request.method} ${request.url}`, type: 'invalid_request_error', code: 'not_found' } }));

  const { models } = deps;
  const router: ModelRouter = models ? registryRouter(models) : singlePipelineRouter(deps.config.model.name, deps.pipeline ?? (() => undefined));
  const modelMetrics = models ? new ModelMetrics(models) : undefined;

  // Ready once every eager model is loaded; a lazy one (loaded or not, or failed) does not hold the server back.
  app.get('/health', async (_request, reply) => {
    const states = router.status();
    const ready = states.every((m) => m.lazy || m.state === 'loaded');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'loading', model: router.defaultId, models: states });
  });

  app.get('/metrics', async (_request, reply) => {
    const page = models
      ? await metricsPage([deps.metrics.registry, modelMetrics!.registry], models.loadedRuntimes().map(({ id, runtime }) => ({ model: id, registries: pluginRegistries(runtime) })), models.ids.length > 1)
      : await metricsPage([deps.metrics.registry, ...(deps.pluginRegistries?.() ?? [])], []);
    return reply.type(deps.metrics.registry.contentType).send(page);
  });

  const tokenIds = http.tokenIds === 'off' ? undefined : new TokenIdDecoder(http.tokenIds);
  app.addHook('onClose', async () => tokenIds?.close());
  registerEmbeddingRoutes(app, { models: router, limits: http, tokenIds });
  registerSearchRoute(app, { lookup: searchLookup(deps), limits: http });
  return app;
}

/**
 * Compares SHA-256 digests, not the strings: both are always 32 bytes, so neither an early return
 * on a length mismatch nor timingSafeEqual's own length check can tell a caller how long the key is.
 */
export function bearerMatches(header: string | undefined, apiKey: string): boolean {
  const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const matches = timingSafeEqual(sha256(token), sha256(apiKey));
  return matches && token.length > 0;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
