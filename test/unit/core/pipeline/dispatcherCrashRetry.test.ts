import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import { EmbedlineError } from '../../../../core/errors.js';
import { Dispatcher } from '../../../../core/pipeline/batching/Dispatcher.js';
import { ThroughputEstimator } from '../../../../core/pipeline/batching/ThroughputEstimator.js';
import { StaticBatchSizePolicy } from '../../../../core/pipeline/StaticBatchSizePolicy.js';
import type { DeviceScheduler } from '../../../../core/ports/DeviceScheduler.js';
import type { BatchOutcome, TokenBatch } from '../../../../core/pipeline/types.js';
import { workItem } from '../../../fixtures/workItem.js';

/** A scheduler whose worker dies on the batches `crashOn` names (1-based), and embeds the rest. */
class CrashingScheduler implements DeviceScheduler {
  readonly batches: number[][] = [];
  constructor(private readonly crashOn: ReadonlySet<number>) {}
  async run(batch: TokenBatch): Promise<BatchOutcome> {
    this.batches.push(batch.rows.map((r) => r[0]!));
    if (this.crashOn.has(this.batches.length)) throw new EmbedlineError('EMBEDLINE_WORKER_CRASHED', 'An inference worker died while running a batch: exited with code 70');
    return { vectors: new Float32Array(batch.rows.length * 2).fill(1), device: 'cpu', inferMs: 1, poolMs: 0 };
  }
  status() {
    return [];
  }
  async start() {}
  async close() {}
}

function dispatcherOn(scheduler: DeviceScheduler): Dispatcher {
  const config = configSchema.parse({});
  return new Dispatcher(scheduler, new StaticBatchSizePolicy(config), new ThroughputEstimator(1), [], { queuedTexts: () => 0, settled: () => {} });
}

describe('Dispatcher after a worker crash', () => {
  it('runs a text that was alone in the crashed batch once more, so its request gets its vector (regression: it got EMBEDLINE_WORKER_CRASHED, a 500)', async () => {
    const scheduler = new CrashingScheduler(new Set([1]));
    const item = workItem(7);
    dispatcherOn(scheduler).dispatch([item]);
    expect(await item.outcome).to.have.length(2);
    expect(scheduler.batches).to.deep.equal([[7], [7]]);
  });

  it('fails a text alone in its batch that crashes the replacement too, without a third try', async () => {
    const scheduler = new CrashingScheduler(new Set([1, 2]));
    const item = workItem(7);
    dispatcherOn(scheduler).dispatch([item]);
    const error = (await item.outcome.then(() => expect.fail('must fail'), (e: unknown) => e)) as EmbedlineError;
    expect(error.code).to.equal('EMBEDLINE_WORKER_CRASHED');
    expect(scheduler.batches).to.have.length(2);
  });

  it('still splits a crashed batch of several texts, and retries only those texts', async () => {
    const scheduler = new CrashingScheduler(new Set([1]));
    const items = [workItem(1), workItem(2), workItem(3), workItem(4)];
    dispatcherOn(scheduler).dispatch(items);
    await Promise.all(items.map((i) => i.outcome));
    expect(scheduler.batches).to.deep.equal([[1, 2, 3, 4], [1, 2], [3, 4]]);
  });
});
