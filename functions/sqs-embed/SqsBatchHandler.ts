import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CapacityGate } from '../../adapters/sqs/CapacityGate.js';
import type { JsonLog } from '../../adapters/sqs/jsonLog.js';
import type { MessageProcessor } from '../../adapters/sqs/MessageProcessor.js';
import { fromSqsRecord } from './fromSqsRecord.js';

export interface BatchHandlerOptions {
  /** Texts embedding at once (the worker's in-flight budget); further records wait for room. */
  readonly maxInFlightTexts: number;
  /** Records not started while less than this remains of the invocation are reported as failures. */
  readonly deadlineMarginMs: number;
}

/**
 * One SQS event, one invocation: every record goes through the shared message flow concurrently
 * (so the pipeline batches texts across records), within the in-flight text budget. The response
 * lists exactly the records that failed (ReportBatchItemFailures): a malformed record fails alone,
 * and records that could not start before the deadline are handed back for SQS to deliver again.
 *
 * @example
 * const batch = new SqsBatchHandler(processor, { maxInFlightTexts: 256, deadlineMarginMs: 5_000 }, log);
 * export const handler = (event: SQSEvent, context: Context) => batch.handle(event, context);
 */
export class SqsBatchHandler {
  constructor(
    private readonly processor: MessageProcessor,
    private readonly options: BatchHandlerOptions,
    private readonly log: JsonLog,
  ) {}

  async handle(event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> {
    const startedAt = Date.now();
    const gate = new CapacityGate(Number.POSITIVE_INFINITY, this.options.maxInFlightTexts);
    const failed = new Set<string>();
    const running: Promise<void>[] = [];
    for (const record of event.Records) {
      const queued = fromSqsRecord(record);
      const parsed = await this.processor.parse(queued);
      if (!parsed.ok) {
        failed.add(record.messageId);
        continue;
      }
      await gate.waitForRoom();
      const remainingMs = context.getRemainingTimeInMillis();
      if (remainingMs < this.options.deadlineMarginMs) {
        await this.processor.notStarted(queued, parsed.message.id, remainingMs);
        failed.add(record.messageId);
        continue;
      }
      const texts = parsed.message.texts.length;
      gate.take(1);
      gate.addTexts(texts);
      const outcome = this.processor.embedAndStore(queued, parsed.message, { timeoutMs: remainingMs - this.options.deadlineMarginMs });
      running.push(
        outcome
          .then((o) => void (o.status === 'failed' && failed.add(record.messageId)))
          .finally(() => gate.release(1, texts)),
      );
    }
    await Promise.all(running);
    // In event order, so logs and tests read the same way every time.
    const batchItemFailures = event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId }));
    this.log.info('lambda.batch', { records: event.Records.length, failed: batchItemFailures.length, durationMs: Date.now() - startedAt });
    return { batchItemFailures };
  }
}
