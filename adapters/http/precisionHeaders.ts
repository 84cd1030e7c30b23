import type { FastifyReply, FastifyRequest } from 'fastify';
import { EmbedlineError } from '../../core/errors.js';
import type { ResolvedPrecision } from '../../core/ports/PrecisionPolicy.js';

/** The request header that names a precision; it wins over the body's `precision` field. */
export const PRECISION_HEADER = 'x-embedline-precision';

/**
 * The precision a request asked for: the `X-Embedline-Precision` header, else the body's
 * `precision` field, else none (the server's policy then decides by priority). Only its type is
 * checked here; the precision policy names the valid values.
 *
 * @example
 * precisionFrom({ precision: 'int8' }, request.headers); // 'int8'
 */
export function precisionFrom(body: { precision?: unknown }, headers: FastifyRequest['headers']): string | undefined {
  const header = headers[PRECISION_HEADER];
  const value: unknown = (Array.isArray(header) ? header[0] : header) ?? body.precision;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `precision must be a string naming a precision (e.g. "fp32"); got ${value === null ? 'null' : typeof value}.`);
  return value.trim();
}

/**
 * Tells the client what it got: `X-Embedline-Precision` (the precision's name), and the model
 * variant and vector format behind it.
 */
export function reportPrecision(reply: FastifyReply, served: ResolvedPrecision): void {
  reply.header('x-embedline-precision', served.name);
  reply.header('x-embedline-model-variant', served.variant);
  reply.header('x-embedline-vector-format', served.format);
}
