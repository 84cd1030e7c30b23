import { jsonLog, type JsonLog } from '../../../../../adapters/sqs/jsonLog.js';
import { fromSdkMessage, type ReceivedMessage } from '../../../../../adapters/sqs/QueuedMessage.js';
import { WorkerMetrics } from '../../../../../adapters/sqs/worker/WorkerMetrics.js';

export const QUEUE_URL = 'http://sqs.local/000000000000/requests';

/** A log that keeps its lines as objects, so a test can look for an event. */
export function recordingLog(): JsonLog & { readonly lines: { event: string; [field: string]: unknown }[] } {
  const lines: { event: string }[] = [];
  return Object.assign(jsonLog('debug', (line) => void lines.push(JSON.parse(line) as { event: string })), { lines });
}

/** Worker metrics over an empty in-flight view. */
export function workerMetrics(): WorkerMetrics {
  return new WorkerMetrics({ size: 0, oldestSentAt: () => undefined });
}

/** The value of a counter, optionally of one label set. */
export async function counterValue(metric: { get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> }, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value)).reduce((sum, v) => sum + v.value, 0);
}

/** A received message with a recognisable receipt handle. */
export function received(n: number): ReceivedMessage {
  return fromSdkMessage({ MessageId: `m-${n}`, ReceiptHandle: `receipt-${n}`, Body: '{}', Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0' } });
}
