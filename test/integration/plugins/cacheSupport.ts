import { ContainerModule } from 'inversify';
import type { EmbedlineConfigInput } from '../../../core/config/schema.js';
import { PIPELINE_OBSERVER, type PipelineObserver } from '../../../core/ports/PipelineObserver.js';
import { pluginRegistries, type EmbedlineRuntime } from '../../../core/runtime.js';
import { CacheStage } from '../../../plugins/cache/CacheStage.js';
import type { CacheConfigInput } from '../../../plugins/cache/config.js';
import { CACHE_LOG } from '../../../plugins/cache/tokens.js';
import { startTestRuntime } from '../../support/runtime.js';

/** A real runtime with the cache plugin, one inference worker, and what the tests watch. */
export interface CachedRuntime {
  readonly runtime: EmbedlineRuntime;
  readonly stage: CacheStage;
  /** Texts the model computed, counted from the batches it ran. */
  readonly modelTexts: () => number;
  /** The plugin's operational log lines. */
  readonly logLines: string[];
  /** Resolves with the first log line that matches, now or later. */
  logged(pattern: RegExp): Promise<string>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export async function startCachedRuntime(cache: CacheConfigInput = {}, extra: Partial<EmbedlineConfigInput> = {}): Promise<CachedRuntime> {
  let texts = 0;
  const logLines: string[] = [];
  const listeners: (() => void)[] = [];
  const countBatches: PipelineObserver = { onBatch: (event) => void (texts += event.size) };
  const watch = new ContainerModule(({ bind, rebind }) => {
    bind(PIPELINE_OBSERVER).toConstantValue(countBatches);
    rebind(CACHE_LOG).toConstantValue((line: string) => {
      logLines.push(line);
      listeners.forEach((l) => l());
    });
  });
  const runtime = await startTestRuntime({ plugins: ['cache'], encoder: { workers: 1 }, batching: { requestTimeoutMs: 110_000 }, ...extra, pluginOptions: { cache } }, [watch]);
  const stage = await runtime.container.getAsync(CacheStage);
  return {
    runtime,
    stage,
    modelTexts: () => texts,
    logLines,
    logged: (pattern) =>
      new Promise((resolve) => {
        const check = (): boolean => {
          const line = logLines.find((l) => pattern.test(l));
          if (line) resolve(line);
          return line !== undefined;
        };
        if (!check()) listeners.push(check);
      }),
    metric: async (name, labels = {}) => {
      const text = (await Promise.all(pluginRegistries(runtime).map((r) => r.metrics()))).join('\n');
      return sumSamples(text, name, labels);
    },
    close: async () => {
      stage.snapshots?.stop();
      await stage.cache.shared?.close();
      await runtime.close();
    },
  };
}

/** Sum of the samples of `name` whose labels include `labels`, from Prometheus text. */
function sumSamples(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) sum += Number(match[3]);
  }
  return sum;
}
