import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import { TextTokenizer } from '../../../../core/encoder/TextTokenizer.js';
import type { BatchOutcome } from '../../../../core/pipeline/types.js';
import { weightedSchedulerConfigSchema } from '../../../../plugins/weighted-scheduler/config.js';
import { DeviceMetrics } from '../../../../plugins/weighted-scheduler/DeviceMetrics.js';
import type { DevicePicker } from '../../../../plugins/weighted-scheduler/strategies/DevicePicker.js';
import { EarliestCompletionPicker } from '../../../../plugins/weighted-scheduler/strategies/EarliestCompletionPicker.js';
import { RoundRobinPicker } from '../../../../plugins/weighted-scheduler/strategies/RoundRobinPicker.js';
import { WeightedDeviceScheduler } from '../../../../plugins/weighted-scheduler/WeightedDeviceScheduler.js';
import { ManualClock } from '../../../doubles/ManualClock.js';
import { SimulatedDevice, type SpeedProfile } from '../../../doubles/SimulatedDevice.js';
import { realModel } from '../../../support/model.js';

/** 32 texts of 128 tokens: 4,096 padded tokens a batch. */
const ROWS = Array.from({ length: 32 }, () => new Int32Array(128).fill(1000));
const BATCH_TOKENS = 32 * 128;
/** Two GPUs of different generations, an integrated GPU and the CPU, in padded tokens per second. */
const SPEEDS: Record<string, number> = { 'cuda-0': 40_000, 'cuda-1': 30_000, 'webgpu-0': 20_000, 'cpu-0': 10_000 };
const TOTAL_SPEED = Object.values(SPEEDS).reduce((a, b) => a + b, 0);
const DEVICES = [
  { id: 'cuda-0', provider: 'cuda', deviceId: 0 },
  { id: 'cuda-1', provider: 'cuda', deviceId: 1 },
  { id: 'webgpu-0', provider: 'webgpu' },
  { id: 'cpu-0', provider: 'cpu' },
];

interface Finished {
  readonly device: string;
  readonly submittedAt: number;
  readonly endedAt: number;
}

/** The scheduler on four simulated devices, all on one virtual clock. */
class Simulation {
  readonly clock = new ManualClock(0);
  readonly metrics = new DeviceMetrics();
  readonly devices = new Map<string, SimulatedDevice>();
  readonly finished: Finished[] = [];
  readonly scheduler: WeightedDeviceScheduler;

  constructor(picker: DevicePicker, tokenizer: TextTokenizer, profiles: Record<string, SpeedProfile>, devices: readonly object[] = DEVICES) {
    const config = weightedSchedulerConfigSchema.parse({ devices });
    const embedline = configSchema.parse({});
    const runtime = { model: undefined as never, tokenizer };
    const createDevice = (spec: SimulatedDevice['spec']): SimulatedDevice => {
      const device = new SimulatedDevice(spec, this.clock, profiles[spec.id]!);
      this.devices.set(spec.id, device);
      return device;
    };
    this.scheduler = new WeightedDeviceScheduler(config, embedline, runtime, createDevice, picker, this.metrics, () => this.clock.now());
  }

  /** Moves virtual time until `done` settles; each step fires every batch end due in it, in order. */
  async until<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    const result = done.finally(() => (settled = true));
    while (!settled) await this.clock.advance(1_000);
    return result;
  }

  submit(id: number, rows: readonly Int32Array[] = ROWS): Promise<BatchOutcome> {
    const submittedAt = this.clock.now();
    return this.scheduler.run({ id, variant: 'fp32', rows, priority: 'normal' }).then((outcome) => {
      this.finished.push({ device: outcome.device, submittedAt, endedAt: this.clock.now() });
      return outcome;
    });
  }

  /** `total` batches at once, as a burst fills the batcher. */
  burst(total: number): Promise<unknown> {
    return Promise.all(Array.from({ length: total }, (_, i) => this.submit(i)));
  }

  /** `total` batches with `inFlight` outstanding at any time, as a batcher with a bounded queue sends them. */
  closedLoop(total: number, inFlight: number): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < total) await this.submit(next++);
    };
    return Promise.all(Array.from({ length: inFlight }, lane)).then(() => undefined);
  }

  tokenShare(device: string, from = -Infinity): number {
    const counted = this.finished.filter((f) => f.submittedAt >= from);
    return counted.filter((f) => f.device === device).length / counted.length;
  }
}

const steady: Record<string, SpeedProfile> = Object.fromEntries(Object.entries(SPEEDS).map(([id, speed]) => [id, () => speed]));

describe('weighted scheduler on four simulated devices of different speeds', () => {
  let tokenizer: TextTokenizer;
  let sim: Simulation | undefined;

  before(async () => {
    tokenizer = TextTokenizer.fromFile((await realModel()).tokenizerPath, 256);
  });

  afterEach(async () => {
    await sim?.scheduler.close();
    sim = undefined;
  });

  async function startedSimulation(picker: DevicePicker, profiles: Record<string, SpeedProfile>, devices?: readonly object[]): Promise<Simulation> {
    sim = new Simulation(picker, tokenizer, profiles, devices);
    await sim.until(sim.scheduler.start());
    return sim;
  }

  it('finishes a burst of 400 batches within 10% of the ideal makespan (all work over the summed speed)', async () => {
    const s = await startedSimulation(new EarliestCompletionPicker(), steady);
    const startedAt = s.clock.now();

    await s.until(s.burst(400));

    const makespanMs = Math.max(...s.finished.map((f) => f.endedAt)) - startedAt;
    const idealMs = ((400 * BATCH_TOKENS) / TOTAL_SPEED) * 1000;
    expect(makespanMs / idealMs).to.be.within(1, 1.1);
  });

  it('gives each device a share of a burst within 10% of its share of the summed speed', async () => {
    const s = await startedSimulation(new EarliestCompletionPicker(), steady);

    await s.until(s.burst(400));

    for (const [id, speed] of Object.entries(SPEEDS)) expect(s.tokenShare(id), id).to.be.closeTo(speed / TOTAL_SPEED, (0.1 * speed) / TOTAL_SPEED);
  });

  it('round-robin, the baseline, takes more than twice the ideal makespan on the same burst (the slowest device sets it)', async () => {
    const s = await startedSimulation(new RoundRobinPicker(), steady);
    const startedAt = s.clock.now();

    await s.until(s.burst(400));

    const makespanMs = Math.max(...s.finished.map((f) => f.endedAt)) - startedAt;
    expect(makespanMs / (((400 * BATCH_TOKENS) / TOTAL_SPEED) * 1000)).to.be.greaterThan(2);
  });

  it('re-balances when the fastest GPU slows to an eighth of its speed mid-run, staying within 10% of the ideal makespan', async () => {
    let slowsAt = Infinity;
    const s = await startedSimulation(new EarliestCompletionPicker(), { ...steady, 'cuda-0': (now) => (now >= slowsAt ? 5_000 : 40_000) });
    const startedAt = s.clock.now();
    slowsAt = startedAt + 5_000;

    await s.until(s.closedLoop(400, 16));

    const makespanMs = Math.max(...s.finished.map((f) => f.endedAt)) - startedAt;
    const slowedSpeed = TOTAL_SPEED - 40_000 + 5_000;
    const idealMs = 5_000 + ((400 * BATCH_TOKENS - (TOTAL_SPEED * 5_000) / 1000) / slowedSpeed) * 1000;
    expect(makespanMs / idealMs).to.be.within(1, 1.1);
    // Once its estimate has caught up (a few batches), the slowed GPU gets about its new share.
    expect(s.tokenShare('cuda-0', slowsAt + 2_000)).to.be.closeTo(5_000 / slowedSpeed, 0.03);
  });

  it('counts each device busy for exactly the time its batches ran, near all of a burst when balanced', async () => {
    const s = await startedSimulation(new EarliestCompletionPicker(), steady);
    const startedAt = s.clock.now();

    await s.until(s.burst(400));

    const makespanS = (Math.max(...s.finished.map((f) => f.endedAt)) - startedAt) / 1000;
    const busy = (await s.metrics.registry.getSingleMetric('embedline_device_busy_seconds_total')!.get()).values;
    for (const [id, device] of s.devices) {
      // The first two runs are the warm-up probe, which is not a batch.
      const ranS = device.runs.slice(2).reduce((sum, r) => sum + (r.endedAt - r.startedAt) / 1000, 0);
      const counted = busy.find((v) => v.labels['device'] === id)!.value;
      expect(counted, id).to.be.closeTo(ranS, 1e-9);
      expect(counted / makespanS, `${id} utilisation`).to.be.greaterThan(0.9);
    }
  });

  it('gives a device no batch larger than its maxBatchTokens, and smaller ones as usual', async () => {
    const limited = DEVICES.map((d) => (d.id === 'cuda-0' ? { ...d, maxBatchTokens: 2048 } : d));
    const s = await startedSimulation(new EarliestCompletionPicker(), steady, limited);
    const small = ROWS.slice(0, 16);

    await s.until(Promise.all([...Array.from({ length: 100 }, (_, i) => s.submit(i)), ...Array.from({ length: 100 }, (_, i) => s.submit(100 + i, small))]));

    const onCuda0 = s.devices.get('cuda-0')!.runs.slice(2);
    expect(onCuda0.length).to.be.greaterThan(0);
    expect(Math.max(...onCuda0.map((r) => r.tokens))).to.equal(2048);
  });

  it('refuses a batch larger than every device takes, naming maxBatchTokens', async () => {
    const s = await startedSimulation(new EarliestCompletionPicker(), steady, DEVICES.map((d) => ({ ...d, maxBatchTokens: 2048 })));

    const refused = await s.submit(1).then(() => undefined, (error: { code: string; message: string }) => error);

    expect(refused?.code).to.equal('EMBEDLINE_CONFIG');
    expect(refused?.message).to.contain('maxBatchTokens');
  });
});
