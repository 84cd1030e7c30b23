import { performance } from 'node:perf_hooks';
import { rm } from 'node:fs/promises';
import { configSchema } from '../../core/config/schema.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import { PRIORITIES, type Priority } from '../../core/pipeline/types.js';
import { pluginRegistries, startEmbedline } from '../../core/runtime.js';
import { observerModule } from '../../adapters/prometheus/observerModule.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { adaptiveStatePath } from '../../core/adaptive/index.js';
import { percentile } from '../support/stats.js';
import { startContention } from './contention.js';
import type { Arrival } from './loadPlan.js';
import type { Phase } from './scenarios.js';

/** A policy as the harness names it, to the plugins it enables: `static`, `memory-aware`, `predictive`, `rl`, or a `+` of them. */
const POLICY_PLUGINS: Record<string, string> = { 'memory-aware': 'memory-aware-batcher', predictive: 'predictive-batch-size', rl: 'rl-batch-agent' };

export interface ReplayOptions {
  readonly policy: string;
  readonly targetsMs: Readonly<Record<Priority, number>>;
  readonly memoryBudgetBytes: number;
}

export interface PriorityResult {
  readonly requests: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Share of requests answered within the target (refused ones count as misses). */
  readonly slo: number;
}

export interface ReplayResult {
  readonly policy: string;
  readonly textsPerSec: number;
  readonly usefulTokensPerSec: number;
  readonly refused: number;
  readonly paddingShare: number;
  readonly meanBatch: number;
  readonly peakRssMiB: number;
  /** What the learning plugins report at the end: MAPE, exploration, detected shifts, batches capped by memory. */
  readonly learner: string;
  readonly byPriority: Readonly<Record<Priority, PriorityResult>>;
}

function pluginsFor(policy: string): string[] {
  if (policy === 'static') return [];
  return policy.split('+').map((name) => {
    const plugin = POLICY_PLUGINS[name];
    if (!plugin) throw new Error(`Unknown policy "${name}"; known: static, ${Object.keys(POLICY_PLUGINS).join(', ')} (join with +).`);
    return plugin;
  });
}

/** Replays the arrivals open-loop against a fresh runtime with the policy's plugins; fresh learned state. */
export async function replay(arrivals: readonly Arrival[], phases: readonly Phase[], options: ReplayOptions): Promise<ReplayResult> {
  const stateFile = `bench-replay-${process.pid}.json`;
  const base = loadConfig(process.env);
  const learnerOptions = { latencyTargetMs: options.targetsMs, stateFile };
  const config = configSchema.parse({
    cacheDir: base.cacheDir,
    batching: { maxQueuedTexts: 100_000, requestTimeoutMs: 120_000 },
    plugins: pluginsFor(options.policy),
    pluginOptions: {
      ...(options.policy.includes('memory-aware') ? { 'memory-aware-batcher': { budgetBytes: options.memoryBudgetBytes } } : {}),
      ...(options.policy.includes('predictive') ? { 'predictive-batch-size': learnerOptions } : {}),
      ...(options.policy.includes('rl') ? { 'rl-batch-agent': learnerOptions } : {}),
    },
  });
  let real = 0;
  let padded = 0;
  let batches = 0;
  const runtime = await startEmbedline(Object.freeze(config), PLUGIN_CATALOGUE, [
    observerModule({ onBatch: (b) => b.ok !== false && ((real += b.realTokens), (padded += b.size * b.seqLen), batches++) }),
  ]);
  const latencies: Record<Priority, number[]> = { critical: [], normal: [], background: [] };
  const refused: Record<Priority, number> = { critical: 0, normal: 0, background: 0 };
  let texts = 0;
  const stops: (() => Promise<void>)[] = [];
  let learner = '';
  const start = performance.now();
  const contention = scheduleContention(phases, stops);
  try {
    const pending: Promise<void>[] = [];
    for (const arrival of arrivals) {
      const delay = arrival.atMs - (performance.now() - start);
      if (delay > 1) await new Promise((resolve) => setTimeout(resolve, delay));
      const sent = performance.now();
      pending.push(
        runtime.pipeline.embed([...arrival.texts], { priority: arrival.priority, timeoutMs: 120_000 }).then(
          () => {
            latencies[arrival.priority].push(performance.now() - sent);
            texts += arrival.texts.length;
          },
          () => {
            refused[arrival.priority]++;
          },
        ),
      );
    }
    await Promise.all(pending);
    learner = learnerSummary((await Promise.all(pluginRegistries(runtime).map((r) => r.metrics()))).join('\n'));
  } finally {
    contention.forEach(clearTimeout);
    await Promise.all(stops.map((stop) => stop()));
    await runtime.close();
    await rm(adaptiveStatePath(config.cacheDir, stateFile), { force: true });
  }
  const seconds = (performance.now() - start) / 1000;
  const byPriority = Object.fromEntries(
    PRIORITIES.map((p) => {
      const requests = latencies[p].length + refused[p];
      const good = latencies[p].filter((ms) => ms <= options.targetsMs[p]).length;
      return [p, { requests, p95Ms: percentile(latencies[p], 95), p99Ms: percentile(latencies[p], 99), slo: requests === 0 ? Number.NaN : good / requests }];
    }),
  ) as Record<Priority, PriorityResult>;
  return {
    policy: options.policy,
    textsPerSec: texts / seconds,
    usefulTokensPerSec: real / seconds,
    refused: PRIORITIES.reduce((sum, p) => sum + refused[p], 0),
    paddingShare: padded === 0 ? 0 : 1 - real / padded,
    meanBatch: batches === 0 ? 0 : texts / batches,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    learner,
    byPriority,
  };
}

/** Starts and stops the CPU-burning thread at the boundaries of contention phases. */
function scheduleContention(phases: readonly Phase[], stops: (() => Promise<void>)[]): NodeJS.Timeout[] {
  const timers: NodeJS.Timeout[] = [];
  let at = 0;
  for (const phase of phases) {
    if (phase.contention) {
      let stop: (() => Promise<void>) | undefined;
      timers.push(setTimeout(() => stops.push((stop = startContention())), at * 1000));
      timers.push(setTimeout(() => void stop?.(), (at + phase.seconds) * 1000));
    }
    at += phase.seconds;
  }
  return timers;
}

const LEARNER_GAUGES = [
  ['embedline_predictive_batch_latency_mape_ratio', 'MAPE'],
  ['embedline_predictive_batch_max_batch_size', 'size'],
  ['embedline_predictive_batch_shifts_total', 'shifts'],
  ['embedline_rl_batch_agent_exploration_ratio', 'explored'],
  ['embedline_rl_batch_agent_reward_vs_static_ratio', 'reward/static'],
  ['embedline_rl_batch_agent_shifts_total', 'shifts'],
  ['embedline_memory_aware_batch_capped_total', 'capped'],
] as const;

function learnerSummary(exposition: string): string {
  return LEARNER_GAUGES.flatMap(([name, label]) => {
    const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(exposition)?.[1];
    return value === undefined ? [] : [`${label} ${Number(value).toPrecision(3)}`];
  }).join(', ');
}
