import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import { FileResultSink } from '../../../adapters/sinks/FileResultSink.js';
import { jsonLog } from '../../../adapters/sqs/jsonLog.js';
import { MessageProcessor } from '../../../adapters/sqs/MessageProcessor.js';
import type { EmbeddingResult, MessageFailure, ResultSink, SinkReceipt } from '../../../core/ports/ResultSink.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { SqsBatchHandler } from '../../../functions/sqs-embed/SqsBatchHandler.js';
import { sqsCase, type SqsCase, type SqsCaseBuilder, type SqsFuzzLimits } from '../arbitraries/sqs.js';
import { hostileText } from '../arbitraries/text.js';
import { runCases, type FuzzReport } from '../runCases.js';
import fc from 'fast-check';

export const SQS_FUZZ_LIMITS: SqsFuzzLimits = { maxTextsPerMessage: 8, maxTextChars: 2_000, maxMessageBytes: 64 * 1024, model: 'all-MiniLM-L6-v2' };

/** The file sink, plus an in-memory record of what went through it, so each case is checked without re-reading files. */
class RecordingSink implements ResultSink {
  readonly kind = 'file';
  readonly failures = new Map<string, MessageFailure[]>();
  readonly written = new Map<string, EmbeddingResult>();
  constructor(private readonly inner: FileResultSink) {}
  async write(result: EmbeddingResult): Promise<SinkReceipt> {
    const receipt = await this.inner.write(result);
    this.written.set(result.messageId, result);
    return receipt;
  }
  async recordFailure(failure: MessageFailure): Promise<void> {
    this.failures.set(failure.messageId, [...(this.failures.get(failure.messageId) ?? []), failure]);
    await this.inner.recordFailure(failure);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Lambda records may hold what SQS itself would refuse (lone surrogates, NULs): the handler must survive those too. */
const rawRecordBody = fc.oneof(hostileText, fc.string({ unit: 'binary', maxLength: 40 })).map((text) => () => ({ body: text, attributes: {}, expect: { kind: 'either' } }) satisfies SqsCase);

/**
 * The Lambda handler (SqsBatchHandler + MessageProcessor) on a real pipeline and the file sink,
 * fed events of ten fuzzed records. Checks per record: a failure is reported in batchItemFailures
 * exactly when no result was written, with the expected reason, and a good record's result holds one
 * unit vector per text, whatever its neighbours were.
 */
export async function fuzzLambda(runtime: EmbedlineRuntime, options: { count: number; seed: number; concurrency: number }): Promise<FuzzReport & { logLines: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'embedline-fuzz-lambda-'));
  const sink = new RecordingSink(new FileResultSink(dir, 'jsonl'));
  const logLines: string[] = [];
  const log = jsonLog('debug', (line) => void logLines.push(line));
  const processor = new MessageProcessor({ pipeline: runtime.pipeline, sink, limits: { ...SQS_FUZZ_LIMITS, defaultPriority: 'normal' }, sinkRetry: { attempts: 2, baseMs: 1 }, log });
  const handler = new SqsBatchHandler(processor, { maxInFlightTexts: 256, deadlineMarginMs: 1_000 }, log);
  const batch = fc.array(fc.oneof({ arbitrary: sqsCase(SQS_FUZZ_LIMITS), weight: 9 }, { arbitrary: rawRecordBody, weight: 1 }), { minLength: 1, maxLength: 10 });
  let sequence = 0;
  try {
    const report = await runCases('lambda', batch, { ...options, count: Math.ceil(options.count / 5.5) }, async (builders: SqsCaseBuilder[]) => {
      const cases = builders.map((build) => ({ messageId: `m-${++sequence}`, c: build(`f-${sequence}`) }));
      const response = await handler.handle({ Records: cases.map(({ messageId, c }) => record(messageId, c)) }, { getRemainingTimeInMillis: () => 60_000 });
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      for (const { messageId, c } of cases) {
        const problem = judge(c, failed.has(messageId), sink.written.get(messageId), sink.failures.get(messageId));
        if (problem) return { outcome: 'wrong', problem: `${messageId}: ${problem}` };
        sink.written.delete(messageId);
        sink.failures.delete(messageId);
      }
      return { outcome: `records:${failed.size === 0 ? 'all-ok' : failed.size === cases.length ? 'all-failed' : 'mixed'}` };
    });
    return { ...report, cases: sequence, logLines };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function judge(c: SqsCase, reported: boolean, written: EmbeddingResult | undefined, failures: MessageFailure[] | undefined): string | undefined {
  if (reported === (written !== undefined)) return reported ? 'reported failed but a result was written' : 'neither failed nor written';
  if (reported && !failures?.length) return 'reported failed without a recorded reason';
  if (c.expect.kind === 'result') {
    if (!written) return `a valid message failed: ${JSON.stringify(failures)}`;
    if (written.vectors.length !== c.expect.texts.length) return `${c.expect.texts.length} texts but ${written.vectors.length} vectors`;
    if (written.vectors.some((v) => v.length !== 384 || Math.abs(Math.hypot(...v) - 1) > 1e-3)) return 'a result vector is not a unit vector of 384 dimensions';
  }
  if (c.expect.kind === 'failure' && failures?.[0]?.reason !== c.expect.reason) return `expected reason ${c.expect.reason}, got ${failures?.[0]?.reason ?? 'a result'}`;
  if (failures?.some((f) => !/^EMBEDLINE_[A-Z_]+$/.test(f.code) || f.message.length === 0)) return `a failure without a typed code or message: ${JSON.stringify(failures)}`;
  return undefined;
}

function record(messageId: string, c: SqsCase): SQSRecord {
  return {
    messageId,
    receiptHandle: `h-${messageId}`,
    body: c.body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'fuzz', ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: Object.fromEntries(Object.entries(c.attributes).map(([name, value]) => [name, { stringValue: value, dataType: 'String', stringListValues: [], binaryListValues: [] }])),
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:fuzz',
    awsRegion: 'us-east-1',
  };
}

