import type { FastifyReply } from 'fastify';
import { type EmbedlineError, type ErrorCode } from '../../core/errors.js';

/** HTTP status and OpenAI-style error `type` for each error code. */
const STATUS: Readonly<Record<ErrorCode, { status: number; type: string }>> = {
  EMBEDLINE_BAD_INPUT: { status: 422, type: 'invalid_request_error' },
  EMBEDLINE_UNKNOWN_PRECISION: { status: 400, type: 'invalid_request_error' },
  EMBEDLINE_NOT_CALIBRATED: { status: 404, type: 'invalid_request_error' },
  EMBEDLINE_INPUT_TOO_LARGE: { status: 413, type: 'invalid_request_error' },
  EMBEDLINE_OVERLOADED: { status: 429, type: 'rate_limit_error' },
  EMBEDLINE_TIMEOUT: { status: 504, type: 'timeout_error' },
  EMBEDLINE_CANCELLED: { status: 499, type: 'cancelled' },
  EMBEDLINE_UNAUTHORIZED: { status: 401, type: 'authentication_error' },
  EMBEDLINE_NOT_READY: { status: 503, type: 'service_unavailable' },
  EMBEDLINE_SHUTTING_DOWN: { status: 503, type: 'service_unavailable' },
  EMBEDLINE_CONFIG: { status: 500, type: 'server_error' },
  EMBEDLINE_PLUGIN_MISSING: { status: 500, type: 'server_error' },
  EMBEDLINE_PLUGIN_CONFLICT: { status: 500, type: 'server_error' },
  EMBEDLINE_STAGE_FAILED: { status: 500, type: 'server_error' },
  EMBEDLINE_MODEL_NOT_FOUND: { status: 404, type: 'invalid_request_error' },
  EMBEDLINE_NOT_ENABLED: { status: 404, type: 'invalid_request_error' },
  EMBEDLINE_MODEL_INTEGRITY: { status: 500, type: 'server_error' },
  EMBEDLINE_MODEL_FETCH: { status: 500, type: 'server_error' },
  EMBEDLINE_INFERENCE: { status: 500, type: 'server_error' },
  EMBEDLINE_WORKER_CRASHED: { status: 500, type: 'server_error' },
  EMBEDLINE_DEVICE_UNAVAILABLE: { status: 503, type: 'service_unavailable' },
  EMBEDLINE_SINK: { status: 500, type: 'server_error' },
  EMBEDLINE_QUEUE: { status: 502, type: 'server_error' },
  EMBEDLINE_INTERNAL: { status: 500, type: 'server_error' },
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code].status;
}

/** `{ error: { message, type, code } }`, the shape OpenAI clients parse. */
export function sendError(reply: FastifyReply, error: EmbedlineError): FastifyReply {
  const { status, type } = STATUS[error.code];
  // Every answer that says "try again" says when: a client (or load balancer) that retries a 503
  // from a draining server at once would only find it closed, so it waits and goes elsewhere.
  if (error.code === 'EMBEDLINE_OVERLOADED' || error.code === 'EMBEDLINE_NOT_READY' || error.code === 'EMBEDLINE_SHUTTING_DOWN') {
    reply.header('retry-after', String(error.context.retryAfterSeconds ?? 1));
  }
  return reply.status(status).send({ error: { message: error.message, type, code: error.code } });
}
