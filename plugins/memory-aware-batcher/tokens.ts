import type { ServiceIdentifier } from 'inversify';
import type { MemoryAwareBatcherConfig } from './config.js';

/** This plugin's parsed `pluginOptions.memory-aware-batcher` section. */
export const MEMORY_AWARE_BATCHER_CONFIG: ServiceIdentifier<MemoryAwareBatcherConfig> = Symbol.for('embedline.plugins.memoryAwareBatcher.Config');
