import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmbedlineError } from '../../core/errors.js';
import { MAX_SEARCH_K } from '../../core/ports/VectorSearch.js';
import { precisionFrom } from './precisionHeaders.js';
import { priorityFrom, shownValue, type InputLimits } from './requestLimits.js';
import type { SearchLookup } from './searchLookup.js';

interface SearchBody {
  input?: unknown;
  vector?: unknown;
  k?: unknown;
  model?: unknown;
  precision?: unknown;
  priority?: unknown;
}

const DEFAULT_K = 10;

/**
 * `POST /v1/search`: the k stored vectors nearest a text or a vector, from the cache plugin's
 * search indexes (docs/api.md in the README, plugins/cache/README.md). Body
 * `{ input: string } | { vector: number[] }`, optional `k` (1..1000, default 10), `model`,
 * `precision` (which variant and format's vectors are searched, as for /v1/embeddings) and
 * `priority` (for embedding the text). Answer `{ object: 'list', data: [{ id, text?, score }], model, precision }`.
 */
export function registerSearchRoute(app: FastifyInstance, deps: { readonly lookup: SearchLookup; readonly limits: InputLimits }): void {
  app.post('/v1/search', async (request: FastifyRequest<{ Body: SearchBody }>) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'The request body must be a JSON object.');
    const k = kFrom(body.k);
    const text = textFrom(body, deps.limits);
    const precision = precisionFrom(body, request.headers);
    const priority = priorityFrom(body, request.headers['x-priority']);
    const { model, search } = await deps.lookup(body.model);
    if (!search) {
      throw new EmbedlineError('EMBEDLINE_NOT_ENABLED', `Search is not enabled for the model "${model}": enable the cache plugin with its search tier (plugins: [cache] and pluginOptions.cache.search.enabled: true; see plugins/cache/README.md).`);
    }
    const vector = text === undefined ? vectorFrom(body.vector, search.dimensions) : undefined;
    const result = await search.search({ text, vector, k, precision, priority, requestId: request.id });
    return {
      object: 'list',
      data: result.hits.map((hit) => ({ object: 'search_result', id: hit.id, ...(hit.text === undefined ? {} : { text: hit.text }), score: hit.score })),
      model,
      precision: result.precision,
    };
  });
}

function kFrom(value: unknown): number {
  if (value === undefined) return DEFAULT_K;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SEARCH_K) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"k" must be an integer from 1 to ${MAX_SEARCH_K}; got ${shownValue(value)}.`);
  return value;
}

/** The text to search for, or undefined for a vector query; exactly one of the two. */
function textFrom(body: SearchBody, limits: InputLimits): string | undefined {
  if ((body.input === undefined) === (body.vector === undefined)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'Send exactly one of "input" (a string to search for) and "vector" (an array of numbers).');
  if (body.input === undefined) return undefined;
  if (typeof body.input !== 'string') throw new EmbedlineError('EMBEDLINE_BAD_INPUT', '"input" must be one string (search takes one query at a time).');
  if (body.input.length > limits.maxInputChars) throw new EmbedlineError('EMBEDLINE_INPUT_TOO_LARGE', `"input" has ${body.input.length} characters; the limit is ${limits.maxInputChars}.`);
  return body.input;
}

function vectorFrom(value: unknown, dimensions: number): Float32Array {
  if (!Array.isArray(value)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"vector" must be an array of ${dimensions} numbers.`);
  if (value.length !== dimensions) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"vector" has ${value.length} items; this model's vectors have ${dimensions}.`);
  const vector = new Float32Array(dimensions);
  value.forEach((x: unknown, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"vector[${i}]" must be a finite number.`, { index: i });
    vector[i] = x;
  });
  return vector;
}
