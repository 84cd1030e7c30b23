import fc from 'fast-check';
import type { FailureReason } from '../../../adapters/sqs/message/failureReasons.js';
import { anyJson, hostileText, textUnder } from './text.js';

/** The limits the fuzzed worker and Lambda handler run with. */
export interface SqsFuzzLimits {
  readonly maxTextsPerMessage: number;
  readonly maxTextChars: number;
  readonly maxMessageBytes: number;
  readonly model: string;
}

/** What must become of a message: a result with these texts, a failure with this reason, or either. */
export type SqsExpectation = { readonly kind: 'result'; readonly texts: readonly string[] } | { readonly kind: 'failure'; readonly reason: FailureReason } | { readonly kind: 'either' };

/** One queued message; ids are given after sampling so every case of a run has its own. */
export interface SqsCase {
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly expect: SqsExpectation;
}

export type SqsCaseBuilder = (id: string) => SqsCase;

const PRIORITIES = ['critical', 'normal', 'background'] as const;

/** Attribute values as SQS allows them (non-empty, valid XML characters). */
const attributeValue = hostileText.map((t) => sqsSafe(t, false)).filter((t) => t.length > 0);

const traceAttributes = fc.record(
  {
    traceparent: fc.oneof(fc.constant('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), attributeValue),
    tracestate: attributeValue,
  },
  { requiredKeys: [] },
);

function validMessage(limits: SqsFuzzLimits): fc.Arbitrary<SqsCaseBuilder> {
  return fc
    .record({
      texts: fc.array(textUnder(limits.maxTextChars), { minLength: 1, maxLength: Math.min(4, limits.maxTextsPerMessage) }),
      single: fc.boolean(),
      priority: fc.option(fc.constantFrom(...PRIORITIES), { nil: undefined }),
      attributePriority: fc.option(fc.constantFrom(...PRIORITIES), { nil: undefined }),
      model: fc.option(fc.constant(limits.model), { nil: undefined }),
      metadata: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 }), { nil: undefined }),
      trace: traceAttributes,
    })
    .map(({ texts: many, single, priority, attributePriority, model, metadata, trace }) => (id: string) => {
      const texts = single ? many.slice(0, 1) : many;
      const body = { v: 1, id, ...(single ? { text: texts[0] } : { texts }), ...(priority ? { priority } : {}), ...(model ? { model } : {}), ...(metadata ? { metadata } : {}) };
      return { body: sqsSafe(JSON.stringify(body), true), attributes: { ...trace, ...(attributePriority ? { priority: attributePriority } : {}) }, expect: { kind: 'result', texts } };
    });
}

/** Messages broken in one known way, each with the reason the consumer must give. */
function brokenMessage(limits: SqsFuzzLimits): fc.Arbitrary<SqsCaseBuilder> {
  const text = textUnder(100);
  const failure = (reason: FailureReason, body: (id: string) => unknown, attributes: Record<string, string> = {}): SqsCaseBuilder => (id) => ({ body: sqsSafe(typeof body(id) === 'string' ? (body(id) as string) : JSON.stringify(body(id)), true), attributes, expect: { kind: 'failure', reason } });
  return fc.oneof(
    text.map((t) => failure('malformed_json', (id) => `{"v":1,"id":"${id}","texts":[${JSON.stringify(t)}`)),
    fc.constant(failure('invalid_message', (id) => ({ id, texts: ['no version'] }))),
    fc.constantFrom(2, 0, '1', null, 1.5).map((v) => failure('unsupported_version', (id) => ({ v, id, texts: ['x'] }))),
    fc.constant(failure('empty_texts', (id) => ({ v: 1, id, texts: [] }))),
    fc.constant(failure('too_many_texts', (id) => ({ v: 1, id, texts: Array.from({ length: limits.maxTextsPerMessage + 1 }, (_, i) => `t${i}`) }))),
    fc.constant(failure('text_too_long', (id) => ({ v: 1, id, texts: ['ok', 'x'.repeat(limits.maxTextChars + 1)] }))),
    fc.constant(failure('message_too_large', (id) => ({ v: 1, id, texts: ['x'], metadata: { pad: 'p'.repeat(limits.maxMessageBytes) } }))),
    hostileText.map((m) => failure('unsupported_model', (id) => ({ v: 1, id, texts: ['x'], model: `other-${m}` }))),
    fc.constantFrom('field', 'Texts', 'sink').map((key) => failure('invalid_message', (id) => ({ v: 1, id, texts: ['x'], [key]: { format: 'parquet' } }))),
    fc.constantFrom('', '../up', '.hidden', 'a/b', 'x'.repeat(129), 'sp ace').map((bad) => failure('invalid_message', () => ({ v: 1, id: bad, texts: ['x'] }))),
    fc.constant(failure('invalid_message', (id) => ({ v: 1, id, texts: ['x'], text: 'y' }))),
    fc.array(anyJson, { minLength: 1, maxLength: 3 }).filter((items) => items.some((i) => typeof i !== 'string')).map((items) => failure('invalid_message', (id) => ({ v: 1, id, texts: items }))),
    attributeValue.filter((p) => !(PRIORITIES as readonly string[]).includes(p)).map((p) => failure('invalid_message', (id) => ({ v: 1, id, texts: ['x'] }), { priority: p })),
  );
}

/** Anything: junk strings, arbitrary JSON, objects with random fields. The consumer must survive it and give a reason. */
function junkMessage(): fc.Arbitrary<SqsCaseBuilder> {
  const body = fc.oneof(
    fc.string({ maxLength: 80 }).map((s) => sqsSafe(s, false)),
    anyJson.map((j) => sqsSafe(JSON.stringify(j), true)),
    fc.dictionary(fc.constantFrom('v', 'id', 'text', 'texts', 'priority', 'model', 'sink', 'metadata'), anyJson, { maxKeys: 5 }).map((d) => sqsSafe(JSON.stringify(d), true)),
  );
  return fc.record({ body: body.filter((b) => b.length > 0), attributes: fc.record({ priority: attributeValue }, { requiredKeys: [] }) }).map(({ body: b, attributes }) => () => ({ body: b, attributes, expect: { kind: 'either' } }));
}

/** Two valid messages to every broken or junk one. */
export function sqsCase(limits: SqsFuzzLimits): fc.Arbitrary<SqsCaseBuilder> {
  return fc.oneof({ arbitrary: validMessage(limits), weight: 4 }, { arbitrary: brokenMessage(limits), weight: 1 }, { arbitrary: junkMessage(), weight: 1 });
}

/**
 * SQS accepts only #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF in bodies
 * and attributes. Inside JSON text the others are escaped (still the same string once parsed);
 * elsewhere they are dropped.
 */
export function sqsSafe(text: string, json: boolean): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => (json ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : ''));
}
