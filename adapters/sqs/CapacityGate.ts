/**
 * Bounds the work a consumer holds: messages in flight and texts in flight. Receiving stops while
 * either budget is spent, so a consumer never pulls more than the pipeline can embed before the
 * messages' visibility runs out. A message bigger than the whole text budget still gets in, alone.
 *
 * @example
 * await gate.waitForRoom(signal);
 * const slots = gate.room;            // ask SQS for at most this many (and at most 10)
 * gate.take(received.length);
 * gate.addTexts(message.texts.length); // once parsed
 * gate.release(1, message.texts.length);
 */
export class CapacityGate {
  private messages = 0;
  private texts = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly maxMessages: number,
    readonly maxTexts: number,
  ) {}

  get inFlightMessages(): number {
    return this.messages;
  }

  get inFlightTexts(): number {
    return this.texts;
  }

  /** Message slots free now; 0 while the text budget is spent. */
  get room(): number {
    return this.texts >= this.maxTexts ? 0 : Math.max(0, this.maxMessages - this.messages);
  }

  /** Resolves as soon as {@link room} is positive, or the signal aborts. */
  waitForRoom(signal?: AbortSignal): Promise<void> {
    return this.waitUntil(() => this.room > 0, signal);
  }

  /** Resolves once nothing is in flight, or the signal aborts. */
  idle(signal?: AbortSignal): Promise<void> {
    return this.waitUntil(() => this.messages === 0, signal);
  }

  take(messages: number): void {
    this.messages += messages;
  }

  addTexts(texts: number): void {
    this.texts += texts;
  }

  release(messages: number, texts = 0): void {
    this.messages = Math.max(0, this.messages - messages);
    this.texts = Math.max(0, this.texts - texts);
    for (const wake of [...this.waiters]) wake();
  }

  private waitUntil(condition: () => boolean, signal?: AbortSignal): Promise<void> {
    if (condition() || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(check);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const check = (): void => {
        if (condition()) done();
      };
      this.waiters.add(check);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
