import type { EmbeddingResult, SinkReceipt } from '../../core/ports/ResultSink.js';
import { encodeResultMessage } from './encodeResult.js';
import { permanentSinkError, ResultSinkBase } from './ResultSinkBase.js';
import { sendQueueMessage, type SqsSender } from './sendQueueMessage.js';

/**
 * Results as messages on a queue: the message's `sink.replyTo` if it has one, else the configured
 * results queue. Vectors travel as base64 float32 (see `encodeResultMessage`); a result larger than
 * the queue's message limit fails permanently and says to send fewer texts per message.
 *
 * @example
 * const sink = new SqsResultSink(sqsClient, 'https://sqs.eu-west-1.amazonaws.com/123/results', 262_144);
 */
export class SqsResultSink extends ResultSinkBase {
  readonly kind = 'sqs';

  constructor(
    private readonly sqs: SqsSender & { destroy?(): void },
    private readonly defaultQueueUrl: string | undefined,
    private readonly maxMessageBytes: number,
  ) {
    super();
  }

  protected async deliver(result: EmbeddingResult): Promise<SinkReceipt> {
    const queueUrl = result.replyTo ?? this.defaultQueueUrl;
    if (!queueUrl) throw permanentSinkError(this.kind, `"${result.id}" has no sink.replyTo and no results queue is configured (EMBEDLINE_RESULTS_QUEUE_URL).`);
    const body = encodeResultMessage(result);
    const bytes = Buffer.byteLength(body);
    if (bytes > this.maxMessageBytes) {
      throw permanentSinkError(this.kind, `The result of "${result.id}" is ${bytes} bytes, over the ${this.maxMessageBytes}-byte message limit; send fewer texts per message (about 100 fit) or use the s3 sink.`);
    }
    await sendQueueMessage(this.sqs, queueUrl, body, result.id);
    return { location: queueUrl };
  }

  override async close(): Promise<void> {
    this.sqs.destroy?.();
  }
}
