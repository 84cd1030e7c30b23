import type { ServiceIdentifier } from 'inversify';
import type { MemoryPoolConfig } from './config.js';

/** This plugin's parsed `pluginOptions.memory-pool` section. */
export const MEMORY_POOL_CONFIG: ServiceIdentifier<MemoryPoolConfig> = Symbol.for('embedline.plugins.memoryPool.Config');
