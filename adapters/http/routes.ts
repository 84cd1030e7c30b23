import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EmbedlineError } from '../../core/errors.js';
import { readModelCalibration } from '../../core/precision/modelCalibration.js';
import { isJsonVectorEncoding, JSON_VECTOR_ENCODINGS, quantizedToBase64, quantizedToJson } from '../encoding/index.js';
import { inCallerTrace } from '../otel/callerTrace.js';
import type { ModelRouter } from './modelRouter.js';
import { precisionFrom, reportPrecision } from './precisionHeaders.js';
import { promptOptionsFrom } from './promptFields.js';
import { inputTexts, priorityFrom, shownValue, type InputLimits } from './requestLimits.js';
import type { TokenIdDecoder } from './tokenIds/TokenIdDecoder.js';

export interface RouteDeps {
  /** The served models; a request's `model` field picks one (absent: the first). */
  readonly models: ModelRouter;
  readonly limits: InputLimits;
  /** Decodes token-id inputs; undefined refuses them (`http.tokenIds: off`). */
  readonly tokenIds?: TokenIdDecoder | undefined;
}

interface OpenAiBody {
  input?: unknown;
  model?: unknown;
  encoding_format?: unknown;
  dimensions?: unknown;
  priority?: unknown;
  precision?: unknown;
  input_type?: unknown;
  prompt_name?: unknown;
}

/** The embedding routes: OpenAI's `/v1/embeddings`, TEI's `/embed`, and `/v1/models`. */
export function registerEmbeddingRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v1/embeddings', async (request: FastifyRequest<{ Body: OpenAiBody }>, reply) => {
    const body = bodyObject(request.body);
    const texts = await inputTexts(body.input, 'input', deps.limits, deps.tokenIds);
    const format = body.encoding_format ?? 'float';
    if (!isJsonVectorEncoding(format)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `encoding_format must be ${JSON_VECTOR_ENCODINGS.map((f) => `"${f}"`).join(' or ')}; got ${shownValue(format)}.`);
    const prompt = promptOptionsFrom(body);
    const pipeline = await deps.models.pipeline(body.model);
    // The router accepted it, so it is a served id (or absent: the default).
    const model = typeof body.model === 'string' ? body.model : deps.models.defaultId;
    if (body.dimensions !== undefined && body.dimensions !== pipeline.dimensions) {
      throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${model} produces ${pipeline.dimensions}-dimensional vectors and was not trained for truncation; omit "dimensions" or set it to ${pipeline.dimensions}.`);
    }
    const options = { priority: priorityFrom(body, request.headers['x-priority']), precision: precisionFrom(body, request.headers), signal: abortOnDisconnect(request, reply), requestId: request.id, ...prompt };
    const result = await inCallerTrace(request.headers, () => pipeline.embed(texts, options));
    reportPrecision(reply, result.precision);
    const precision = result.precision.name;
    return {
      object: 'list',
      data: result.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: format === 'base64' ? quantizedToBase64(vector.quantized) : quantizedToJson(vector.quantized), precision })),
      model,
      usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
    };
  });

  // TEI answers bare arrays, so the precision travels only in the response headers. TEI serves
  // one model per server; here `model` may pick another served one (absent: the first).
  app.post('/embed', async (request: FastifyRequest<{ Body: { inputs?: unknown; priority?: unknown; precision?: unknown; model?: unknown; prompt_name?: unknown } }>, reply) => {
    const body = bodyObject(request.body);
    const texts = await inputTexts(body.inputs, 'inputs', deps.limits, deps.tokenIds);
    const prompt = promptOptionsFrom({ prompt_name: body.prompt_name });
    const pipeline = await deps.models.pipeline(body.model);
    const options = { priority: priorityFrom(body, request.headers['x-priority']), precision: precisionFrom(body, request.headers), signal: abortOnDisconnect(request, reply), requestId: request.id, ...prompt };
    const result = await inCallerTrace(request.headers, () => pipeline.embed(texts, options));
    reportPrecision(reply, result.precision);
    return result.vectors.map((v) => quantizedToJson(v.quantized));
  });

  /** The calibration behind int16/int8/uint8 vectors, so clients can dequantize (docs/precision.md); per served model. */
  app.get('/v1/models/:id/quantization', async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const { id } = request.params;
    const pipeline = await deps.models.pipeline(id);
    const calibration = await readModelCalibration(pipeline.modelDir);
    if (!calibration) {
      throw new EmbedlineError('EMBEDLINE_NOT_CALIBRATED', `${id} has no quantization calibration; run \`embedline model calibrate --texts FILE\` (≥ 10,000 real texts) where the server's model directory is.`);
    }
    return { object: 'quantization', ...calibration };
  });

  /** Every served model: dimensions, max tokens, precisions, loaded or lazy (docs/configuration.md "Several models"). */
  app.get('/v1/models', async () => ({ object: 'list', data: await deps.models.cards() }));
}

function bodyObject<T extends object>(body: T | undefined): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'The request body must be a JSON object.');
  return body;
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
