import type { PriorityQueueState } from '../../ports/BatchSizePolicy.js';
import { PRIORITIES, type Priority, type WorkItem } from '../types.js';

/**
 * One FIFO per priority. Higher priority is served first, but a class passed over
 * `starvationLimit` times in a row goes next. Keeps a running count of texts and tokens so
 * admission control can read the work ahead of a new text without walking the queues.
 */
export class PriorityQueue {
  private readonly queues: Record<Priority, WorkItem[]> = { critical: [], normal: [], background: [] };
  private readonly tokens: Record<Priority, number> = { critical: 0, normal: 0, background: 0 };
  private readonly passedOver: Record<Priority, number> = { critical: 0, normal: 0, background: 0 };
  private count = 0;

  constructor(private readonly starvationLimit: number) {}

  get size(): number {
    return this.count;
  }

  push(items: readonly WorkItem[]): void {
    for (const item of items) {
      this.queues[item.priority].push(item);
      this.tokens[item.priority] += item.ids.length;
    }
    this.count += items.length;
  }

  /** Tokens queued at this priority and above: the work a new text of `priority` waits behind. */
  tokensAhead(priority: Priority): number {
    let sum = 0;
    for (const p of PRIORITIES) {
      sum += this.tokens[p];
      if (p === priority) break;
    }
    return sum;
  }

  state(now: number): Record<Priority, PriorityQueueState> {
    const of = (p: Priority): PriorityQueueState => ({ depth: this.queues[p].length, oldestWaitMs: this.queues[p][0] ? now - this.queues[p][0].enqueuedAt : 0, tokens: this.tokens[p] });
    return { critical: of('critical'), normal: of('normal'), background: of('background') };
  }

  /** Highest priority with work, unless a lower class has been passed over too often; counts the pass-overs. */
  pickClass(): Priority {
    const waiting = PRIORITIES.filter((p) => this.queues[p].length > 0);
    const starving = [...waiting].reverse().find((p) => this.passedOver[p] >= this.starvationLimit);
    const chosen = starving ?? waiting[0]!;
    for (const p of waiting) this.passedOver[p] = p === chosen ? 0 : this.passedOver[p] + 1;
    return chosen;
  }

  peek(priority: Priority): readonly WorkItem[] {
    return this.queues[priority];
  }

  remove(priority: Priority, taken: ReadonlySet<WorkItem>): void {
    this.queues[priority] = this.queues[priority].filter((it) => !taken.has(it));
    for (const item of taken) this.tokens[priority] -= item.ids.length;
    this.count -= taken.size;
  }

  dropCancelledHeads(): void {
    for (const p of PRIORITIES) {
      const queue = this.queues[p];
      while (queue.length > 0 && queue[0]!.isCancelled()) {
        this.tokens[p] -= queue.shift()!.ids.length;
        this.count--;
      }
    }
  }

  oldestEnqueuedAt(): number {
    return Math.min(...PRIORITIES.map((p) => this.queues[p][0]?.enqueuedAt ?? Infinity));
  }
}
