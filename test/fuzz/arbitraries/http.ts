import fc from 'fast-check';
import { anyJson, hostileText, textUnder } from './text.js';

/** The limits the fuzzed server runs with; generators go just over each of them now and then. */
export interface HttpFuzzLimits {
  readonly maxInputs: number;
  readonly maxInputChars: number;
  readonly bodyLimitBytes: number;
  readonly apiKey: string;
  readonly model: string;
}

/** One request: what to send and, for requests built to be valid, the texts the answer must embed. */
export interface HttpCase {
  readonly method: string;
  readonly path: string;
  /** Raw query string without `?`, possibly with broken percent-encoding. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
  /** Set when the request was built valid: it must answer 200 with one vector per text. */
  readonly valid?: { readonly route: 'openai' | 'tei'; readonly texts: readonly string[]; readonly format: 'float' | 'base64' } | undefined;
}

const ROUTES = ['/v1/embeddings', '/embed', '/v1/search', '/v1/models', '/health', '/metrics'] as const;
const PRIORITIES = ['critical', 'normal', 'background'] as const;

/** Header values Node's HTTP client accepts: tab, printable ASCII and Latin-1. */
const headerValue = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((c) => String.fromCharCode(c)), maxLength: 40 });

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 10 },
  { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', ''), weight: 3 },
  { arbitrary: headerValue, weight: 1 },
);

const hex = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

const traceparent = fc.oneof(
  fc.tuple(hex(32), hex(16)).map(([t, s]) => `00-${t}-${s}-01`),
  fc.constantFrom('00-00000000000000000000000000000000-0000000000000000-01', 'ff-abc', '00--', ''),
  headerValue,
);

/** Extra headers a client may send: priority, trace context, request id, encodings. */
const extraHeaders = fc.record(
  {
    'x-priority': fc.oneof(fc.constantFrom(...PRIORITIES), headerValue),
    traceparent,
    tracestate: headerValue,
    'x-request-id': headerValue,
    accept: fc.constantFrom('application/json', '*/*', 'text/html', 'application/x-ndjson'),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', 'deflate, gzip;q=0'),
  },
  { requiredKeys: [] },
);

const query = fc.oneof(
  { arbitrary: fc.constant(''), weight: 6 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 }), { maxKeys: 4 }).map((d) => new URLSearchParams(d).toString()), weight: 2 },
  { arbitrary: fc.constantFrom('%ZZ', '%', 'a=%E0%A4%A', 'input=x&input=y', 'model=../../etc/passwd', '__proto__[x]=1', '&&&=='), weight: 1 },
);

function authHeader(limits: HttpFuzzLimits): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${limits.apiKey}`), weight: 20 },
    { arbitrary: fc.constantFrom(undefined, '', 'Bearer', 'Bearer ', `bearer ${limits.apiKey}`, `Bearer ${limits.apiKey}x`, `Bearer ${limits.apiKey.slice(1)}`, `Basic ${limits.apiKey}`, `Bearer  ${limits.apiKey}`), weight: 2 },
    { arbitrary: headerValue.map((v) => `Bearer ${v}`), weight: 1 },
  );
}

/** Values for `input` / `inputs`: strings, lists, token ids (valid and not: gaps, negatives, fractions, mixtures), nesting, over the limits. */
function inputValue(limits: HttpFuzzLimits): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: textUnder(limits.maxInputChars), weight: 4 },
    { arbitrary: fc.array(textUnder(limits.maxInputChars), { minLength: 1, maxLength: limits.maxInputs }), weight: 4 },
    { arbitrary: fc.constantFrom([], [[]], [[101, 102]], [1, 2, 3], [null], [''], null, true, 0, -1, {}, [[100256]], [[-1]], [1.5], [[1e308]], [[2 ** 53]], ['a', [1]], [[1], 'a'], [[1, 'a']]), weight: 2 },
    { arbitrary: fc.array(anyJson, { maxLength: 4 }), weight: 2 },
    { arbitrary: anyJson, weight: 1 },
    { arbitrary: fc.array(hostileText, { minLength: limits.maxInputs + 1, maxLength: limits.maxInputs + 3 }), weight: 1 },
    { arbitrary: fc.constant('y'.repeat(limits.maxInputChars + 1)), weight: 1 },
  );
}

function openAiBody(limits: HttpFuzzLimits): fc.Arbitrary<unknown> {
  return fc.record(
    {
      input: inputValue(limits),
      model: fc.oneof(fc.constant(limits.model), hostileText, anyJson),
      encoding_format: fc.oneof(fc.constantFrom('float', 'base64', 'int8', 'FLOAT', ''), anyJson),
      dimensions: fc.oneof(fc.constantFrom(384, 128, 0, -1, 1e308, 384.5, '384'), anyJson),
      priority: fc.oneof(fc.constantFrom(...PRIORITIES), hostileText, anyJson),
      user: hostileText,
    },
    { requiredKeys: [] },
  );
}

/** `POST /v1/search` bodies: a text or a vector (right length, wrong length, non-finite, zero), k in and out of range, both or neither. */
function searchBody(limits: HttpFuzzLimits): fc.Arbitrary<unknown> {
  const vector = fc.oneof(
    { arbitrary: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 384, maxLength: 384 }), weight: 3 },
    { arbitrary: fc.array(fc.double(), { minLength: 383, maxLength: 385 }), weight: 2 },
    { arbitrary: fc.constantFrom(new Array(384).fill(0), new Array(384).fill(1e308), [1, 2, 3], [], null, 'x'), weight: 1 },
    { arbitrary: fc.array(anyJson, { maxLength: 4 }), weight: 1 },
  );
  return fc.record(
    {
      input: inputValue(limits),
      vector,
      k: fc.oneof(fc.integer({ min: -2, max: 1_002 }), fc.constantFrom(1.5, 1e308, '10', null), anyJson),
      model: fc.oneof(fc.constant(limits.model), hostileText, anyJson),
      precision: fc.oneof(fc.constantFrom('fp32', 'int8', 'FP32', ''), anyJson),
      priority: fc.oneof(fc.constantFrom(...PRIORITIES), anyJson),
    },
    { requiredKeys: [] },
  );
}

function teiBody(limits: HttpFuzzLimits): fc.Arbitrary<unknown> {
  return fc.record({ inputs: inputValue(limits), priority: fc.oneof(fc.constantFrom(...PRIORITIES), anyJson), truncate: fc.boolean(), normalize: anyJson }, { requiredKeys: [] });
}

/** Bodies that are not the JSON a route expects: junk, invalid UTF-8, deep nesting, prototype keys, too big. */
function rawBody(limits: HttpFuzzLimits): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { arbitrary: fc.string({ maxLength: 64 }), weight: 3 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom('{"input":"', '{"inputs":["'), fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.constantFrom('"}', '"]}')).map(([a, b, c]) => Buffer.concat([Buffer.from(a), Buffer.from(b), Buffer.from(c)])), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `{"input":${'['.repeat(n)}"x"${']'.repeat(n)}}`), weight: 1 },
    { arbitrary: fc.constantFrom('{"__proto__":{"input":"x"}}', '{"constructor":{"prototype":{"input":"x"}}}', '{"input":"x","input":["a","b"]}', '{"input":"\\ud800"}', '{"input":"\\u0000"}', 'null', '[]', '""', '1e999', '{"input":"x"} trailing'), weight: 2 },
    { arbitrary: fc.constant(`{"input":"${'z'.repeat(limits.bodyLimitBytes)}"}`), weight: 1 },
  );
}

/** A request built to be valid: right auth, JSON, texts within the limits. */
function validCase(limits: HttpFuzzLimits): fc.Arbitrary<HttpCase> {
  return fc
    .record({
      route: fc.constantFrom('openai' as const, 'tei' as const),
      texts: fc.array(textUnder(limits.maxInputChars), { minLength: 1, maxLength: Math.min(4, limits.maxInputs) }),
      single: fc.boolean(),
      format: fc.constantFrom('float' as const, 'base64' as const),
      priority: fc.option(fc.constantFrom(...PRIORITIES), { nil: undefined }),
      headers: extraHeaders.map(({ 'x-priority': _, ...rest }) => rest),
    })
    .map(({ route, texts: many, single, format, priority, headers }) => {
      const texts = single ? many.slice(0, 1) : many;
      const input = single ? texts[0] : texts;
      const body = route === 'openai' ? { input, model: limits.model, encoding_format: format, ...(priority ? { priority } : {}) } : { inputs: input, ...(priority ? { priority } : {}) };
      return {
        method: 'POST',
        path: route === 'openai' ? '/v1/embeddings' : '/embed',
        query: '',
        headers: { ...headers, 'content-type': 'application/json', authorization: `Bearer ${limits.apiKey}` },
        body: JSON.stringify(body),
        valid: { route, texts, format: route === 'tei' ? 'float' : format },
      };
    });
}

/** Anything at all against any route: method, path, query, headers and body all vary. */
function hostileCase(limits: HttpFuzzLimits): fc.Arbitrary<HttpCase> {
  const path = fc.oneof({ arbitrary: fc.constantFrom(...ROUTES), weight: 12 }, { arbitrary: fc.constantFrom('/', '/v1', '/v1/embeddings/', '/V1/EMBEDDINGS', '/embed/../health', '//embed', '/%2e%2e/health', '/v1/models/x'), weight: 1 });
  // Mostly the route's own method, so most cases reach the handlers rather than the 404 page.
  const method = fc.oneof({ arbitrary: fc.constant('natural'), weight: 8 }, { arbitrary: fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), weight: 2 });
  const body = fc.oneof(
    { arbitrary: openAiBody(limits).map((b) => JSON.stringify(b)), weight: 5 },
    { arbitrary: teiBody(limits).map((b) => JSON.stringify(b)), weight: 3 },
    { arbitrary: searchBody(limits).map((b) => JSON.stringify(b)), weight: 3 },
    { arbitrary: anyJson.map((b) => JSON.stringify(b)), weight: 1 },
    { arbitrary: rawBody(limits), weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
  return fc.record({ method, path, query, auth: authHeader(limits), contentType, extra: extraHeaders, body }).map(({ method: m, path: p, query: q, auth, contentType: ct, extra, body: b }) => {
    if (m === 'natural') m = p === '/v1/embeddings' || p === '/embed' || p === '/v1/search' ? 'POST' : 'GET';
    const headers: Record<string, string> = { ...extra };
    if (auth !== undefined) headers.authorization = auth;
    if (b !== undefined) headers['content-type'] = ct;
    return { method: m, path: p, query: q, headers, body: m === 'GET' || m === 'HEAD' ? undefined : b };
  });
}

/** Three hostile requests to every valid one. */
export function httpCase(limits: HttpFuzzLimits): fc.Arbitrary<HttpCase> {
  return fc.oneof({ arbitrary: hostileCase(limits), weight: 3 }, { arbitrary: validCase(limits), weight: 1 });
}
