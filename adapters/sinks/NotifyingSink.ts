import type { EmbeddingResult, MessageFailure, ResultSink, SinkReceipt } from '../../core/ports/ResultSink.js';
import { sinkError } from './ResultSinkBase.js';
import { sendQueueMessage, type SqsSender } from './sendQueueMessage.js';

/**
 * Wraps an object sink (file, S3) and, once a result is stored, announces it on the results
 * queue as `{"v":1,"id","location","model","texts"}`, so consumers need not poll the bucket.
 * The announcement comes after the write, and the request is deleted only after both: a failure
 * in between redelivers the request, which rewrites the same object and announces it again.
 *
 * @example
 * const sink = new NotifyingSink(new S3ResultSink(s3, bucket, 'results/', 'jsonl'), sqsClient, resultsQueueUrl);
 */
export class NotifyingSink implements ResultSink {
  readonly kind: string;

  constructor(
    private readonly inner: ResultSink,
    private readonly sqs: SqsSender & { destroy?(): void },
    private readonly queueUrl: string,
  ) {
    this.kind = inner.kind;
  }

  async write(result: EmbeddingResult): Promise<SinkReceipt> {
    const receipt = await this.inner.write(result);
    const notice = JSON.stringify({ v: 1, id: result.id, location: receipt.location, model: result.model, texts: result.vectors.length });
    try {
      await sendQueueMessage(this.sqs, this.queueUrl, notice, result.id);
    } catch (error) {
      throw sinkError(`${this.kind}+notify`, result.id, error);
    }
    return receipt;
  }

  recordFailure(failure: MessageFailure): Promise<void> {
    return this.inner.recordFailure(failure);
  }

  async close(): Promise<void> {
    await this.inner.close();
    this.sqs.destroy?.();
  }
}
