import { EmbedlineError, toEmbedlineError } from '../../core/errors.js';
import type { EmbeddingResult, MessageFailure, ResultSink, SinkReceipt } from '../../core/ports/ResultSink.js';

/**
 * The flow every sink shares: deliver, and turn whatever went wrong into one `EMBEDLINE_SINK`
 * error that says which sink, which id, and whether a retry can help. Subclasses implement
 * {@link deliver} only; they may record failures and release resources.
 */
export abstract class ResultSinkBase implements ResultSink {
  abstract readonly kind: string;

  async write(result: EmbeddingResult): Promise<SinkReceipt> {
    try {
      return await this.deliver(result);
    } catch (error) {
      throw sinkError(this.kind, result.id, error);
    }
  }

  /** Nothing beyond the log line the caller writes; the file sink also keeps a failures file. */
  async recordFailure(_failure: MessageFailure): Promise<void> {}

  async close(): Promise<void> {}

  /** Stores the result durably under its id, or throws. */
  protected abstract deliver(result: EmbeddingResult): Promise<SinkReceipt>;
}

/**
 * Most sink failures are outages (a full disk, a network blip, a permission being fixed), so
 * they are retryable unless the sink said otherwise: the message waits in the queue and, if the
 * outage outlasts maxReceiveCount, in the DLQ — never lost.
 */
export function sinkError(kind: string, id: string, error: unknown): EmbedlineError {
  const cause = toEmbedlineError(error, 'EMBEDLINE_SINK');
  if (cause.code === 'EMBEDLINE_SINK' && cause.context.sink === kind) return cause;
  const retryable = cause.context.retryable !== false;
  return new EmbedlineError('EMBEDLINE_SINK', `The ${kind} sink could not store the result of "${id}": ${cause.message}`, { sink: kind, id, retryable }, { cause: error });
}

/** A failure no retry can fix (the result cannot fit its destination, there is no destination). */
export function permanentSinkError(kind: string, message: string): EmbedlineError {
  return new EmbedlineError('EMBEDLINE_SINK', message, { sink: kind, retryable: false });
}
