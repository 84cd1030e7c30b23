import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PlainAllocator } from '../../../../core/encoder/packBatch.js';
import { DEFAULT_SESSION_TUNING } from '../../../../core/encoder/sessionTuning.js';
import { WorkerPoolDevice } from '../../../../core/encoder/WorkerPoolDevice.js';
import type { EmbedlineError } from '../../../../core/errors.js';
import type { ModelInfo } from '../../../../core/model/modelInfo.js';
import type { InferenceDevice } from '../../../../core/ports/InferenceDevice.js';
import { DeviceLane, type LaneEvents, type LaneOptions } from '../../../../plugins/weighted-scheduler/DeviceLane.js';
import { laneJob, type LaneJob } from '../../../../plugins/weighted-scheduler/LaneJob.js';
import { CrashingDevice } from '../../../doubles/CrashingDevice.js';
import { realModel } from '../../../support/model.js';

const GOOD_ROW = Int32Array.of(101, 7592, 2088, 102);
/** A token id past the vocabulary: ONNX Runtime rejects the batch and the session lives on. */
const BAD_ROW = Int32Array.of(101, 999_999, 102);

const OPTIONS: LaneOptions = {
  probeRows: [GOOD_ROW, GOOD_ROW],
  probeRuns: 2,
  speedSmoothing: 0.3,
  // Long enough that no re-probe starts during a test; close() cancels it.
  quarantine: { initialBackoffMs: 60_000, maxBackoffMs: 60_000, afterConsecutiveErrors: 2 },
  now: () => performance.now(),
};

/** What the lane told the scheduler, in order; `until` waits for an entry instead of for time. */
class RecordedEvents implements LaneEvents {
  readonly log: string[] = [];
  readonly errors: EmbedlineError[] = [];
  private waiters: { count: number; wake: () => void }[] = [];

  completed(_lane: DeviceLane, job: LaneJob): void {
    this.record(`completed ${job.batch.id}`);
  }

  failed(_lane: DeviceLane, job: LaneJob, error: EmbedlineError): void {
    this.errors.push(error);
    this.record(`failed ${job.batch.id} ${error.code}`);
  }

  orphaned(jobs: readonly LaneJob[]): void {
    this.record(`orphaned ${jobs.map((j) => j.batch.id).join(',')}`);
  }

  ready(): void {
    this.record('ready');
  }

  until(count: number): Promise<void> {
    if (this.log.length >= count) return Promise.resolve();
    return new Promise((wake) => this.waiters.push({ count, wake }));
  }

  private record(entry: string): void {
    this.log.push(entry);
    for (const waiter of this.waiters.filter((w) => this.log.length >= w.count)) waiter.wake();
    this.waiters = this.waiters.filter((w) => this.log.length < w.count);
  }
}

function job(id: number, rows: readonly Int32Array[] = [GOOD_ROW]): LaneJob {
  // Outcomes reach the scheduler through the events; the job's own callbacks are not under test.
  return laneJob({ id, variant: 'fp32', rows, priority: 'normal' }, () => {}, () => {});
}

describe('DeviceLane on a real device', () => {
  let model: ModelInfo;
  let lane: DeviceLane | undefined;
  const allocator = new PlainAllocator();

  before(async () => {
    model = await realModel();
  });

  afterEach(async () => {
    await lane?.close();
    lane = undefined;
  });

  function realDevice(info: ModelInfo = model): InferenceDevice {
    return new WorkerPoolDevice({ id: 'cpu-lane', provider: 'cpu', workers: 1, intraOpThreads: 1, variant: 'fp32' }, info, DEFAULT_SESSION_TUNING, allocator);
  }

  it('probes a device before it takes work and is then ready with a measured speed', async () => {
    const events = new RecordedEvents();
    lane = new DeviceLane(realDevice(), false, OPTIONS, events);

    const ready = await lane.bringUp();

    expect(ready).to.equal(true);
    expect(lane.state).to.equal('ready');
    expect(lane.tokensPerSecond).to.be.greaterThan(0);
    expect(events.log).to.deep.equal(['ready']);
  });

  it('runs its batches one at a time in the order assigned, keeping exact counts of what waits', async () => {
    const events = new RecordedEvents();
    lane = new DeviceLane(realDevice(), false, OPTIONS, events);
    await lane.bringUp();

    [job(1), job(2, [GOOD_ROW, GOOD_ROW]), job(3)].forEach((j) => lane!.enqueue(j));
    const assigned = { batches: lane.queuedBatches, tokens: lane.queuedTokens, busy: lane.busy };
    await events.until(4);

    expect(assigned).to.deep.equal({ batches: 3, tokens: 4 + 8 + 4, busy: true });
    expect(events.log).to.deep.equal(['ready', 'completed 1', 'completed 2', 'completed 3']);
    expect({ batches: lane.queuedBatches, tokens: lane.queuedTokens, busy: lane.busy }).to.deep.equal({ batches: 0, tokens: 0, busy: false });
  });

  it('is quarantined at once when its thread dies mid-batch, handing back the batches that waited', async () => {
    const events = new RecordedEvents();
    // Runs 1 and 2 are the warm-up; the thread dies holding run 3, the first real batch.
    lane = new DeviceLane(new CrashingDevice(realDevice(), 3), false, OPTIONS, events);
    await lane.bringUp();

    [job(1), job(2), job(3)].forEach((j) => lane!.enqueue(j));
    await events.until(3);

    expect(events.log).to.deep.equal(['ready', 'orphaned 2,3', 'failed 1 EMBEDLINE_WORKER_CRASHED']);
    expect(lane.state).to.equal('quarantined');
    expect(lane.queuedTokens).to.equal(0);
  });

  it('is quarantined after afterConsecutiveErrors batches ONNX Runtime rejects, not before', async () => {
    const events = new RecordedEvents();
    lane = new DeviceLane(realDevice(), false, OPTIONS, events);
    await lane.bringUp();

    lane.enqueue(job(1, [BAD_ROW]));
    await events.until(2);
    const afterOne = lane.state;
    lane.enqueue(job(2, [BAD_ROW]));
    lane.enqueue(job(3));
    await events.until(4);

    expect(afterOne).to.equal('ready');
    expect(events.log).to.deep.equal(['ready', 'failed 1 EMBEDLINE_INFERENCE', 'orphaned 3', 'failed 2 EMBEDLINE_INFERENCE']);
    expect(lane.state).to.equal('quarantined');
    expect(lane.lastError?.message).to.contain('idx=999999');
  });

  it('marks an auto-detected device that cannot start unavailable, and quarantines a configured one', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'embedline-lane-'));
    const missingModel: ModelInfo = { ...model, dir: empty };
    try {
      const detected = new DeviceLane(realDevice(missingModel), true, OPTIONS, new RecordedEvents());
      const configured = new DeviceLane(realDevice(missingModel), false, OPTIONS, new RecordedEvents());

      const started = await Promise.all([detected.bringUp(), configured.bringUp()]);
      await Promise.all([detected.close(), configured.close()]);

      expect(started).to.deep.equal([false, false]);
      expect([detected.state, configured.state]).to.deep.equal(['unavailable', 'quarantined']);
      expect(configured.lastError?.code).to.equal('EMBEDLINE_CONFIG');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('on close returns the batches that never ran and lets the running one finish', async () => {
    const events = new RecordedEvents();
    lane = new DeviceLane(realDevice(), false, OPTIONS, events);
    await lane.bringUp();

    [job(1), job(2), job(3)].forEach((j) => lane!.enqueue(j));
    const orphans = await lane.close();
    await events.until(2);

    expect(orphans.map((j) => j.batch.id)).to.deep.equal([2, 3]);
    expect(events.log).to.deep.equal(['ready', 'completed 1']);
  });
});
