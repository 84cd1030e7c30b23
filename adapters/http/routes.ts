import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EmbedlineError } from '../../core/errors.js';
import type { EncodePipeline } from '../../core/pipeline/EncodePipeline.js';
import { isJsonVectorEncoding, JSON_VECTOR_ENCODINGS, toBase64, toJsonValues } from '../encoding/index.js';
import { inCallerTrace } from '../otel/callerTrace.js';
import { priorityFrom, textsFrom, type InputLimits } from './requestLimits.js';

export interface RouteDeps {
  readonly modelName: string;
  readonly limits: InputLimits;
  /** Undefined until the model is loaded. */
  readonly pipeline: () => EncodePipeline | undefined;
}

interface OpenAiBody {
  input?: unknown;
  model?: unknown;
  encoding_format?: unknown;
  dimensions?: unknown;
  priority?: unknown;
}

/** The embedding routes: OpenAI's `/v1/embeddings`, TEI's `/embed`, and `/v1/models`. */
export function registerEmbeddingRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v1/embeddings', async (request: FastifyRequest<{ Body: OpenAiBody }>, reply) => {
    const body = bodyObject(request.body);
    const texts = textsFrom(body.input, 'input', deps.limits);
    const format = body.encoding_format ?? 'float';
    if (!isJsonVectorEncoding(format)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `encoding_format must be ${JSON_VECTOR_ENCODINGS.map((f) => `"${f}"`).join(' or ')}; got "${String(format)}".`);
    if (body.model !== undefined && body.model !== deps.modelName) {
      throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `The model "${String(body.model)}" does not exist here; this server serves "${deps.modelName}".`);
    }
    const pipeline = readyPipeline(deps);
    if (body.dimensions !== undefined && body.dimensions !== pipeline.dimensions) {
      throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${deps.modelName} produces ${pipeline.dimensions}-dimensional vectors and was not trained for truncation; omit "dimensions" or set it to ${pipeline.dimensions}.`);
    }
    const result = await inCallerTrace(request.headers, () => pipeline.embed(texts, { priority: priorityFrom(body, request.headers['x-priority']), signal: abortOnDisconnect(request, reply), requestId: request.id }));
    return {
      object: 'list',
      data: result.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: format === 'base64' ? toBase64(vector.values) : toJsonValues(vector.values) })),
      model: deps.modelName,
      usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
    };
  });

  app.post('/embed', async (request: FastifyRequest<{ Body: { inputs?: unknown; priority?: unknown } }>, reply) => {
    const body = bodyObject(request.body);
    const texts = textsFrom(body.inputs, 'inputs', deps.limits);
    const pipeline = readyPipeline(deps);
    const result = await inCallerTrace(request.headers, () => pipeline.embed(texts, { priority: priorityFrom(body, request.headers['x-priority']), signal: abortOnDisconnect(request, reply), requestId: request.id }));
    return result.vectors.map((v) => toJsonValues(v.values));
  });

  app.get('/v1/models', async () => ({
    object: 'list',
    data: [{ id: deps.modelName, object: 'model', created: 0, owned_by: 'embedline' }],
  }));
}

function bodyObject<T extends object>(body: T | undefined): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'The request body must be a JSON object.');
  return body;
}

function readyPipeline(deps: RouteDeps): EncodePipeline {
  const pipeline = deps.pipeline();
  if (!pipeline) throw new EmbedlineError('EMBEDLINE_NOT_READY', 'The model is still loading; retry shortly.', { retryAfterSeconds: 2 });
  return pipeline;
}

/** A client that hangs up cancels its texts that have not started inference yet. */
function abortOnDisconnect(_request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  // The response's 'close' before it finished means the connection went away (the request's
  // own 'close' fires as soon as its body has been read).
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
