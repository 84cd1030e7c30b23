import { once } from 'node:events';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import { adaptiveStatePath } from '../../../../core/adaptive/index.js';
import { buildArms } from '../../../../plugins/rl-batch-agent/arms.js';
import { rlBatchAgentConfigSchema } from '../../../../plugins/rl-batch-agent/config.js';
import { createRlPolicy } from '../../../../plugins/rl-batch-agent/index.js';
import type { RlBatchAgentPolicy } from '../../../../plugins/rl-batch-agent/RlBatchAgentPolicy.js';
import { RlMetrics } from '../../../../plugins/rl-batch-agent/RlMetrics.js';
import { CostCurveDevice, CPU_LIKE, seededRandom } from '../predictive-batch-size/costCurveDevice.js';
import { BUSY_QUEUE, runEpochs, simulatedBatch, trueReward } from './simulation.js';

/** 50 ms for normal: 32 rows of 64 tokens (about 42 ms) fit, 64 rows (about 83 ms) do not. */
const TARGET_MS = 50;
const PENALTY = 2;

async function agentIn(cacheDir: string, options: Record<string, unknown> = {}, metrics = new RlMetrics()): Promise<RlBatchAgentPolicy> {
  const core = configSchema.parse({ cacheDir });
  const config = rlBatchAgentConfigSchema.parse({ latencyTargetMs: { normal: TARGET_MS }, latencyPenalty: PENALTY, explorationCap: 0.2, ...options });
  return createRlPolicy(config, core, metrics);
}

describe('rl-batch-agent policy', () => {
  let cacheDir: string;
  const armShapes = buildArms(rlBatchAgentConfigSchema.parse({}), { maxBatchSize: 16, maxBatchTokens: 8192, maxWaitMs: 2, maxPaddingRatio: 0.05 }).map((arm) => arm.shape);

  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'embedline-rl-'));
  });

  it('plays the static arm through its warm-up', async () => {
    const agent = await agentIn(cacheDir, { warmupEpochs: 5 });

    const played = runEpochs(agent, new CostCurveDevice(CPU_LIKE, seededRandom(1)), 5, 4);

    expect(played).to.deep.equal([0, 0, 0, 0, 0]);
  });

  it('converges on an arm with the best true reward and its regret grows sublinearly', async () => {
    const agent = await agentIn(cacheDir);
    const device = new CostCurveDevice(CPU_LIKE, seededRandom(2));
    const scale = (16 * 64 * (1 - 0.025)) / (device.trueMs(16, 64) / 1000);
    const rewards = armShapes.map((shape) => trueReward(device, shape, scale, TARGET_MS, PENALTY));
    const best = Math.max(...rewards);
    // Waits up to 8 ms cost nothing under this target, so the 32-row arms with 5 % padding tie.
    const bestArms = armShapes.flatMap((shape, arm) => (rewards[arm]! >= best - 1e-9 ? [arm] : []));

    const played = runEpochs(agent, device, 1200, 4);
    const regret = played.map((arm) => best - rewards[arm]!);
    const sum = (from: number, to: number): number => regret.slice(from, to).reduce((a, b) => a + b, 0);

    expect(bestArms.map((arm) => armShapes[arm]!.maxBatchSize)).to.deep.equal([32, 32, 32]);
    expect(played.slice(-200).filter((arm) => bestArms.includes(arm)).length).to.be.at.least(170);
    expect(sum(900, 1200)).to.be.below(sum(0, 300) / 3);
  });

  it('never lets exploratory epochs pass the exploration cap', async () => {
    const agent = await agentIn(cacheDir, { explorationCap: 0.1, ucbWidth: 5 });
    const ratios: number[] = [];

    runEpochs(agent, new CostCurveDevice(CPU_LIKE, seededRandom(3)), 600, 4, () => ratios.push(agent.exploredEpochs / agent.epochCount));

    expect(Math.max(...ratios)).to.be.at.most(0.1);
    expect(agent.exploredEpochs).to.be.above(0);
  });

  it('falls back to the static arm when the reward collapses (a device slowed to a fifth)', async () => {
    const metrics = new RlMetrics();
    const agent = await agentIn(cacheDir, { cooldownEpochs: 10 }, metrics);
    const device = new CostCurveDevice(CPU_LIKE, seededRandom(4));
    runEpochs(agent, device, 300, 4);

    device.slowdown = 5;
    const played = runEpochs(agent, device, 40, 4);
    const text = await metrics.registry.metrics();

    expect(text).to.match(/^embedline_rl_batch_agent_collapses_total [1-9]/m);
    expect(Number(/^embedline_rl_batch_agent_epochs_total\{kind="fallback"\} (\d+)$/m.exec(text)?.[1])).to.be.at.least(10);
    expect(played.filter((arm) => arm === 0).length).to.be.at.least(10);
  });

  it('skips feedback from batches formed under the previous arm', async () => {
    const agent = await agentIn(cacheDir, { epochBatches: 2 });
    const device = new CostCurveDevice(CPU_LIKE, seededRandom(5));

    agent.next({ ...BUSY_QUEUE, inFlightBatches: 3 });
    for (let i = 0; i < 4; i++) agent.record(simulatedBatch(device, { maxBatchSize: 16, maxWaitMs: 2 }));

    expect(agent.epochCount).to.equal(0);
    agent.record(simulatedBatch(device, { maxBatchSize: 16, maxWaitMs: 2 }));
    expect(agent.epochCount).to.equal(1);
  });

  it('saves what it learned and resumes from it after a restart, past its warm-up', async () => {
    const first = await agentIn(cacheDir);
    const device = new CostCurveDevice(CPU_LIKE, seededRandom(6));
    runEpochs(first, device, 300, 4);
    await first.flush();

    const second = await agentIn(cacheDir);
    second.next(BUSY_QUEUE);

    expect(second.pulls()).to.deep.equal(first.pulls());
    expect(second.epochCount).to.equal(300);
    expect(second.currentArm).to.not.equal(0);
  });

  it('warns about an invalid state file and starts fresh', async () => {
    const path = adaptiveStatePath(cacheDir, 'rl-batch-agent.json');
    await mkdir(join(cacheDir, 'adaptive'), { recursive: true });
    await writeFile(path, '{"version": 1, "arms": "not a list"');
    const warned = once(process, 'warning');

    const agent = await agentIn(cacheDir);
    const [warning] = (await warned) as [Error];

    expect(warning.message).to.contain(path).and.to.contain('not JSON');
    expect(agent.epochCount).to.equal(0);
  });
});

describe('rl-batch-agent after the load shifts', () => {
  let cacheDir: string;
  const armShapes = buildArms(rlBatchAgentConfigSchema.parse({}), { maxBatchSize: 16, maxBatchTokens: 8192, maxWaitMs: 2, maxPaddingRatio: 0.05 }).map((arm) => arm.shape);

  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'embedline-rl-shift-'));
  });

  /** Converges on the fake device, slows it to a third, and returns the arms played in the 200 epochs after. */
  async function slowedAfterConverging(options: Record<string, unknown>, metrics = new RlMetrics()): Promise<{ played: number[]; good: (arm: number) => boolean }> {
    const agent = await agentIn(cacheDir, options, metrics);
    const device = new CostCurveDevice(CPU_LIKE, seededRandom(2));
    const scale = (16 * 64 * (1 - 0.025)) / (device.trueMs(16, 64) / 1000);
    runEpochs(agent, device, 1200, 4);

    device.slowdown = 3;
    // 16 rows now take about 66 ms against the 50 ms target: the best arms have 8 rows.
    const rewards = armShapes.map((shape) => trueReward(device, shape, scale, TARGET_MS, PENALTY));
    const best = Math.max(...rewards);
    const played = runEpochs(agent, device, 200, 4);
    return { played, good: (arm) => rewards[arm]! >= best - 0.02 };
  }

  it('plays an arm that is best on the slowed device in 70% of epochs 100-200 after it slows to a third', async () => {
    const metrics = new RlMetrics();
    const { played, good } = await slowedAfterConverging({}, metrics);

    expect(played.slice(100).filter(good).length).to.be.at.least(70);
    expect(await metrics.registry.metrics()).to.match(/^embedline_rl_batch_agent_shifts_total [1-3]$/m);
  });

  it('without shift detection it has not found them 200 epochs later (what the detector fixes)', async () => {
    const { played, good } = await slowedAfterConverging({ shiftDetection: { enabled: false } });

    expect(played.slice(100).filter(good).length).to.be.below(20);
  });

  it('sees no shift while the device keeps its speed', async () => {
    const metrics = new RlMetrics();
    const agent = await agentIn(cacheDir, {}, metrics);

    runEpochs(agent, new CostCurveDevice(CPU_LIKE, seededRandom(7)), 1500, 4);

    expect(await metrics.registry.metrics()).to.match(/^embedline_rl_batch_agent_shifts_total 0$/m);
  });

  it('with discounting on (discount 0.99) keeps its evidence finite and its exploration within the cap', async () => {
    const agent = await agentIn(cacheDir, { discount: 0.99, explorationCap: 0.1 });

    runEpochs(agent, new CostCurveDevice(CPU_LIKE, seededRandom(8)), 1500, 4);

    expect(agent.state().arms.every((arm) => arm.inverse.every(Number.isFinite) && arm.inverse.every((v, cell) => cell % 6 !== 0 || (v > 0 && v <= 1 + 1e-9)))).to.equal(true);
    expect(agent.exploredEpochs / agent.epochCount).to.be.at.most(0.1);
  });
});
