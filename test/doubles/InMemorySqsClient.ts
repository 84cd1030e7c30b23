import type { Message, SQSClient } from '@aws-sdk/client-sqs';

/** A command's input: several shapes, which tests read field by field. */
type Input = Record<string, any>;

/** One call the code under test made: the command's name without "Command", and its input. */
export interface RecordedCall {
  readonly command: string;
  readonly input: Input;
}

/** Answers one call instead of the default behaviour; throw to fail it. */
export type Responder = (input: Input) => unknown;

interface PendingReceive {
  readonly max: number;
  readonly resolve: (messages: Message[]) => void;
}

interface Waiter {
  readonly done: () => boolean;
  readonly resolve: () => void;
}

/**
 * An SQS queue in memory that records every call, for unit tests of the worker's SQS logic
 * (the ElasticMQ integration tests cover the real protocol). Receives hand out waiting
 * messages or, like a long poll, wait until one is sent, the call's abort signal fires, or
 * the test ends the polls. Deletes and visibility changes succeed unless a responder queued
 * with {@link answerNext} says otherwise. Nothing here runs on a timer: a message received
 * is never redelivered on its own, so the calls the test sees are exactly those made.
 *
 * @example
 * const sqs = new InMemorySqsClient();
 * sqs.answerNext('DeleteMessageBatch', () => ({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] }));
 */
export class InMemorySqsClient {
  readonly calls: RecordedCall[] = [];
  private readonly waiting: Message[] = [];
  private readonly receives: PendingReceive[] = [];
  private readonly responders = new Map<string, Responder[]>();
  private waiters: Waiter[] = [];
  private pollsEnded = false;
  private sent = 0;

  /** This double as the SDK client type the worker's parts take (they only call `send`). */
  get client(): Pick<SQSClient, 'send'> {
    return this as unknown as Pick<SQSClient, 'send'>;
  }

  /** Puts a message in the queue (or straight into a waiting long poll). */
  enqueue(body: string, options: { receiveCount?: number; sentAt?: number; priority?: string } = {}): string {
    const id = `m-${++this.sent}`;
    this.waiting.push({
      MessageId: id,
      ReceiptHandle: `receipt-${id}`,
      Body: body,
      Attributes: { ApproximateReceiveCount: String(options.receiveCount ?? 1), SentTimestamp: String(options.sentAt ?? 0) },
      ...(options.priority ? { MessageAttributes: { priority: { DataType: 'String', StringValue: options.priority } } } : {}),
    });
    this.deliver();
    return `receipt-${id}`;
  }

  /** The next call of `command` gets this answer instead of the default (queued, one per call). */
  answerNext(command: string, responder: Responder): void {
    this.responders.set(command, [...(this.responders.get(command) ?? []), responder]);
  }

  /** Ends every waiting long poll with no messages, and answers later ones at once: for stopping a worker. */
  endLongPolls(): void {
    this.pollsEnded = true;
    for (const receive of this.receives.splice(0)) receive.resolve([]);
  }

  /** Inputs of the calls of one command, in order. */
  inputsOf(command: string): Input[] {
    return this.calls.filter((c) => c.command === command).map((c) => c.input);
  }

  /** Resolves once `count` calls of `command` have been made. */
  untilCalls(command: string, count: number): Promise<void> {
    return this.until(() => this.inputsOf(command).length >= count);
  }

  /** Resolves once `condition` holds after some call (checked at every call). */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done: condition, resolve }));
  }

  async send(command: { input: object }, options: { abortSignal?: AbortSignal } = {}): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    const input = command.input as Input;
    this.calls.push({ command: name, input });
    this.wake();
    const responder = this.responders.get(name)?.shift();
    if (responder) return responder(input);
    switch (name) {
      case 'ReceiveMessage':
        return { Messages: await this.receive(Number(input.MaxNumberOfMessages ?? 1), options.abortSignal) };
      case 'DeleteMessageBatch':
      case 'ChangeMessageVisibilityBatch':
        return { Successful: (input.Entries as { Id: string }[]).map((e) => ({ Id: e.Id })), Failed: [] };
      case 'ChangeMessageVisibility':
        return {};
      default:
        throw new Error(`InMemorySqsClient does not implement ${name}`);
    }
  }

  private receive(max: number, signal: AbortSignal | undefined): Promise<Message[]> {
    if (this.waiting.length > 0 || this.pollsEnded) return Promise.resolve(this.waiting.splice(0, max));
    return new Promise((resolve, reject) => {
      const pending: PendingReceive = { max, resolve };
      this.receives.push(pending);
      signal?.addEventListener('abort', () => {
        this.receives.splice(this.receives.indexOf(pending), 1);
        reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
      }, { once: true });
    });
  }

  private deliver(): void {
    while (this.waiting.length > 0 && this.receives.length > 0) {
      const receive = this.receives.shift()!;
      receive.resolve(this.waiting.splice(0, receive.max));
    }
  }

  private wake(): void {
    const due = this.waiters.filter((w) => w.done());
    this.waiters = this.waiters.filter((w) => !due.includes(w));
    for (const waiter of due) waiter.resolve();
  }
}
