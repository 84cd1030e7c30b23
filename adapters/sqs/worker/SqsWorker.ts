import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CapacityGate } from '../CapacityGate.js';
import type { JsonLog } from '../jsonLog.js';
import type { Failed, MessageProcessor } from '../MessageProcessor.js';
import { fromSdkMessage, receiveAttributes, type ReceivedMessage } from '../QueuedMessage.js';
import { backoffDelayMs, failureVisibilitySec, isTransientAwsError, withRetry } from '../retry.js';
import type { Clock } from './Clock.js';
import { DeleteBatcher } from './DeleteBatcher.js';
import { ReceivePause } from './ReceivePause.js';
import { VisibilityHeartbeat, isStale } from './VisibilityHeartbeat.js';
import { receivePauseBounds, type WorkerSettings } from './WorkerSettings.js';
import type { WorkerMetrics } from './WorkerMetrics.js';

export interface SqsWorkerDeps {
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly settings: WorkerSettings;
  readonly processor: MessageProcessor;
  readonly heartbeat: VisibilityHeartbeat;
  readonly metrics: WorkerMetrics;
  readonly log: JsonLog;
  /** The batched deletes' timer; the system clock unless a test drives it. */
  readonly clock?: Clock;
}

/** How a stop went: messages held when it began, and those still unfinished when the grace ran out. */
export interface DrainReport {
  readonly inFlightAtStop: number;
  readonly abandoned: number;
}

/**
 * The ECS worker's loop. `pollers` long-polls run while the capacity gate has room, each asking
 * for no more messages than fit; every message is held invisible by the heartbeat until its
 * result is stored and it is deleted (batched), or until it is made visible again after a failure
 * (soon for messages that can never succeed, so redrive moves them to the DLQ; with growing
 * backoff for retryable ones). `stop` stops receiving, finishes what it holds, and reports.
 *
 * @example
 * const worker = new SqsWorker({ sqs, settings, processor, heartbeat, metrics, log });
 * worker.start();
 * process.once('SIGTERM', async () => process.exit((await worker.stop(28_000)).abandoned === 0 ? 0 : 1));
 */
export class SqsWorker {
  /** Aborted by `stop`: no new receive starts, and waits for room or pauses end. */
  private readonly stopping = new AbortController();
  /** Aborted only if receives are still out when the drain time is up. */
  private readonly cutoff = new AbortController();
  private readonly gate: CapacityGate;
  private readonly deletes: DeleteBatcher;
  private readonly pause: ReceivePause;
  private readonly handling = new Set<Promise<void>>();
  private pollers: Promise<void>[] = [];

  constructor(private readonly deps: SqsWorkerDeps) {
    const { settings, sqs, log, metrics } = deps;
    this.gate = new CapacityGate(settings.maxInFlightMessages, settings.maxInFlightTexts);
    this.deletes = new DeleteBatcher(sqs, settings.queueUrl, settings.deleteFlushMs, settings.retry, log, metrics, deps.clock);
    const pause = receivePauseBounds(settings);
    this.pause = new ReceivePause(pause.baseMs, pause.maxMs);
  }

  start(): void {
    this.deps.heartbeat.start();
    this.pollers = Array.from({ length: this.deps.settings.pollers }, () => this.poll());
  }

  /**
   * Stops receiving, waits for everything held to be stored and deleted, and after `drainMs`
   * makes whatever is still unfinished visible again for other workers. Long polls already out
   * are allowed to return (at most waitTimeSeconds) rather than aborted: SQS may already have
   * handed an aborted poll messages that would then stay invisible for a whole visibility
   * timeout. What they bring is made visible again at once.
   */
  async stop(drainMs: number): Promise<DrainReport> {
    const deadline = Date.now() + drainMs;
    const inFlightAtStop = this.deps.heartbeat.size;
    this.stopping.abort();
    if (!(await finishesWithin(Promise.all(this.pollers), drainMs))) {
      this.cutoff.abort();
      await Promise.all(this.pollers);
    }
    const drained = await finishesWithin(Promise.all(this.handling), deadline - Date.now());
    const abandoned = drained ? 0 : this.deps.heartbeat.size;
    if (!drained) await this.releaseHeld();
    await this.deletes.flush();
    this.deps.heartbeat.stop();
    return { inFlightAtStop, abandoned };
  }

  private async poll(): Promise<void> {
    const signal = this.stopping.signal;
    let receiveErrors = 0;
    while (!signal.aborted) {
      await this.pause.wait(signal);
      await this.gate.waitForRoom(signal);
      const slots = Math.min(10, this.gate.room);
      if (signal.aborted || slots === 0) continue;
      this.gate.take(slots);
      let messages: ReceivedMessage[] = [];
      try {
        messages = await this.receive(slots, this.cutoff.signal);
        receiveErrors = 0;
      } catch (error) {
        if (this.cutoff.signal.aborted) break;
        this.deps.metrics.sqsErrors.inc({ operation: 'receive' });
        this.deps.log.warn('sqs.receive_error', { error, consecutive: ++receiveErrors });
        await sleep(backoffDelayMs(receiveErrors, this.deps.settings.retry.baseMs, 20_000), undefined, { signal }).catch(() => undefined);
      } finally {
        this.gate.release(slots - messages.length);
      }
      if (signal.aborted) {
        await Promise.all(messages.map((m) => this.changeVisibility(m, 0)));
        this.gate.release(messages.length);
      } else for (const message of messages) this.track(this.handle(message));
    }
  }

  private async receive(max: number, signal: AbortSignal): Promise<ReceivedMessage[]> {
    const { sqs, settings } = this.deps;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: settings.queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: settings.waitTimeSeconds, VisibilityTimeout: settings.visibilityTimeoutSec, ...receiveAttributes() }),
      { abortSignal: signal },
    );
    return Messages.map(fromSdkMessage);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.deps.log.error('sqs.handle_error', { error })).finally(() => this.handling.delete(tracked));
    this.handling.add(tracked);
  }

  private async handle(message: ReceivedMessage): Promise<void> {
    const { processor, heartbeat, metrics } = this.deps;
    metrics.received.inc();
    heartbeat.hold(message);
    let texts = 0;
    try {
      const parsed = await processor.parse(message);
      if (!parsed.ok) return await this.giveBack(message, parsed.failed);
      texts = parsed.message.texts.length;
      this.gate.addTexts(texts);
      // The worker's own intake is bounded (CapacityGate) and the heartbeat keeps the message
      // invisible, so it may wait longer than an HTTP client: refusing it at the HTTP timeout
      // would spend one of its receives (and, under load, send valid messages to the DLQ).
      const outcome = await processor.embedAndStore(message, parsed.message, { timeoutMs: this.deps.settings.messageTimeoutMs });
      if (outcome.status === 'failed') return await this.giveBack(message, outcome);
      // One line per stored result, deleted or not: a redelivery stores the same id again, and
      // these lines are how a fault run counts results embedded to completion twice.
      this.deps.log.debug('sqs.result_stored', { messageId: message.messageId, id: outcome.id, receiveCount: message.receiveCount });
      await this.complete(message);
    } finally {
      heartbeat.release(message);
      this.gate.release(1, texts);
    }
  }

  private async complete(message: ReceivedMessage): Promise<void> {
    this.pause.onSuccess();
    // The heartbeat stops first: an extension racing the delete would only fail as stale.
    this.deps.heartbeat.release(message);
    const outcome = await this.deletes.delete(message);
    if (outcome !== 'deleted') return;
    const endToEndMs = Math.max(0, Date.now() - message.sentAt);
    this.deps.metrics.succeeded.inc();
    this.deps.metrics.endToEnd.observe(endToEndMs / 1000);
    this.deps.log.debug('sqs.message_succeeded', { messageId: message.messageId, receiveCount: message.receiveCount, endToEndMs });
  }

  /** Leaves the message in the queue, visible again after a delay that depends on why it failed. */
  private async giveBack(message: ReceivedMessage, { failure }: Failed): Promise<void> {
    const { settings, metrics } = this.deps;
    metrics.fail(failure.reason);
    if (failure.retryable) this.pause.onFailure();
    const visibility = failure.retryable ? failureVisibilitySec(message.receiveCount, settings.failureBackoffBaseSec, settings.failureBackoffMaxSec) : settings.invalidMessageVisibilitySec;
    this.deps.heartbeat.release(message);
    await this.changeVisibility(message, visibility);
  }

  private async releaseHeld(): Promise<void> {
    // Messages still held after the grace period: hand them to other workers now rather than after the visibility timeout.
    await Promise.all([...this.deps.heartbeat.messages()].map((m) => this.changeVisibility(m, 0)));
  }

  private async changeVisibility(message: ReceivedMessage, seconds: number): Promise<void> {
    const { sqs, settings, metrics, log } = this.deps;
    try {
      await withRetry(() => sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: settings.queueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: seconds })), settings.retry, {
        isRetryable: isTransientAwsError,
        onRetry: () => metrics.sqsErrors.inc({ operation: 'change_visibility' }),
      });
    } catch (error) {
      if (isStale((error as { name?: string }).name)) return;
      metrics.sqsErrors.inc({ operation: 'change_visibility' });
      // Not fatal: the message reappears anyway when its current visibility runs out.
      log.warn('sqs.release_failed', { messageId: message.messageId, error });
    }
  }
}

/** True if `work` settles within `ms`; false if the time ran out first (the work goes on). */
async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
