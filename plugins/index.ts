import type { PluginCatalogue } from '../core/plugin.js';
import { cachePlugin } from './cache/index.js';
import { memoryAwareBatcherPlugin } from './memory-aware-batcher/index.js';
import { memoryPoolPlugin } from './memory-pool/index.js';
import { precisionPlugin } from './precision/index.js';
import { predictiveBatchSizePlugin } from './predictive-batch-size/index.js';
import { rlBatchAgentPlugin } from './rl-batch-agent/index.js';
import { sloTrackerPlugin } from './slo-tracker/index.js';
import { weightedSchedulerPlugin } from './weighted-scheduler/index.js';

/**
 * Every plugin this build ships, by name. Callers pass it to `buildContainer`, so `core/`
 * never imports `plugins/`.
 */
export const PLUGIN_CATALOGUE: PluginCatalogue = {
  cache: cachePlugin,
  'memory-aware-batcher': memoryAwareBatcherPlugin,
  'memory-pool': memoryPoolPlugin,
  precision: precisionPlugin,
  'predictive-batch-size': predictiveBatchSizePlugin,
  'rl-batch-agent': rlBatchAgentPlugin,
  'slo-tracker': sloTrackerPlugin,
  'weighted-scheduler': weightedSchedulerPlugin,
};
