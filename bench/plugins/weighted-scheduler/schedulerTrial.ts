import { ContainerModule } from 'inversify';
import { performance } from 'node:perf_hooks';
import { observerModule } from '../../../adapters/prometheus/observerModule.js';
import { configSchema } from '../../../core/config/schema.js';
import { DEVICE_SCHEDULER } from '../../../core/ports/DeviceScheduler.js';
import { startEmbedline } from '../../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { decorateDevices } from '../../../plugins/weighted-scheduler/decorateDevices.js';
import { BatchClock } from './BatchClock.js';
import type { Scenario, Strategy } from './scenarios.js';

export interface TrialOptions {
  readonly cacheDir: string;
  readonly texts: readonly string[];
  readonly maxBatchSize: number;
}

export interface TrialResult {
  readonly scenario: string;
  readonly strategy: Strategy;
  readonly makespanS: number;
  readonly waitP50Ms: number;
  readonly waitP95Ms: number;
  readonly latencyP95Ms: number;
  /** Σ device busy time / (devices × makespan): 1 when every device works until the end. */
  readonly utilisation: number;
  /** Last finish of one device minus last finish of the other, over the makespan. */
  readonly finishGap: number;
  readonly slowTokenShare: number;
  readonly batches: number;
}

/** Requests of 1 to 8 texts (a fixed cycle), all sent at once: a burst the devices must share. */
function requests(texts: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let start = 0, r = 0; start < texts.length; r++) {
    const size = 1 + ((r * 5) % 8);
    out.push(texts.slice(start, start + size));
    start += size;
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/**
 * One scenario under one strategy on the real pipeline (batcher → scheduler → devices). A
 * text's queue wait is the batcher's wait for its batch plus the batch's wait for its device;
 * percentiles are over texts.
 */
export async function runSchedulerTrial(scenario: Scenario, strategy: Strategy, options: TrialOptions): Promise<TrialResult> {
  const clock = new BatchClock();
  const batcherWait = new Map<number, { size: number; waitMs: number }>();
  const config = configSchema.parse({
    cacheDir: options.cacheDir,
    plugins: ['weighted-scheduler'],
    encoder: { workers: scenario.devices.length },
    batching: { maxBatchSize: options.maxBatchSize, requestTimeoutMs: 600_000, maxQueuedTexts: 100_000 },
    pluginOptions: { 'weighted-scheduler': { devices: scenario.devices, strategy } },
  });
  const modules = [
    decorateDevices((device) => clock.wrapDevice(scenario.decorate(device))),
    new ContainerModule(({ onActivation }) => onActivation(DEVICE_SCHEDULER, (_ctx, scheduler) => clock.wrapScheduler(scheduler))),
    observerModule({ onBatch: (e) => !e.error && batcherWait.set(e.batchId, { size: e.size, waitMs: e.queueWaitMs }) }),
  ];
  const runtime = await startEmbedline(Object.freeze(config), PLUGIN_CATALOGUE, modules);
  try {
    await runtime.pipeline.embed(options.texts.slice(0, 16)); // warm both sessions on real text
    clock.batches.length = 0;
    batcherWait.clear();
    const t0 = performance.now();
    const latencies = await Promise.all(
      requests(options.texts).map(async (texts) => {
        const sent = performance.now();
        await runtime.pipeline.embed(texts);
        return performance.now() - sent;
      }),
    );
    const makespanMs = performance.now() - t0;
    return summarize(scenario, strategy, clock, batcherWait, latencies, makespanMs, t0);
  } finally {
    await runtime.close();
  }
}

function summarize(scenario: Scenario, strategy: Strategy, clock: BatchClock, batcherWait: Map<number, { size: number; waitMs: number }>, latencies: number[], makespanMs: number, t0: number): TrialResult {
  const waits: number[] = [];
  for (const b of clock.batches) {
    const batcher = batcherWait.get(b.batchId);
    if (!batcher) continue;
    for (let i = 0; i < batcher.size; i++) waits.push(batcher.waitMs + (b.startedAt - b.calledAt));
  }
  waits.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  const busy = new Map<string, number>();
  const lastEnd = new Map<string, number>();
  const tokens = new Map<string, number>();
  for (const b of clock.batches) {
    busy.set(b.device, (busy.get(b.device) ?? 0) + (b.endedAt - b.startedAt));
    lastEnd.set(b.device, Math.max(lastEnd.get(b.device) ?? 0, b.endedAt - t0));
    tokens.set(b.device, (tokens.get(b.device) ?? 0) + b.tokens);
  }
  const ends = scenario.devices.map((d) => lastEnd.get(d.id) ?? 0);
  const totalTokens = [...tokens.values()].reduce((a, b) => a + b, 0);
  return {
    scenario: scenario.id,
    strategy,
    makespanS: makespanMs / 1000,
    waitP50Ms: percentile(waits, 0.5),
    waitP95Ms: percentile(waits, 0.95),
    latencyP95Ms: percentile(latencies, 0.95),
    utilisation: [...busy.values()].reduce((a, b) => a + b, 0) / (scenario.devices.length * makespanMs),
    finishGap: (Math.max(...ends) - Math.min(...ends)) / makespanMs,
    slowTokenShare: (tokens.get(scenario.slowDevice) ?? 0) / totalTokens,
    batches: clock.batches.length,
  };
}
