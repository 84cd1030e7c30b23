import type { ServiceIdentifier } from 'inversify';
import type { CacheConfig } from './config.js';
import type { NearDuplicateStream } from './redis/NearDuplicateStream.js';

/** This plugin's parsed `pluginOptions.cache` section. */
export const CACHE_CONFIG: ServiceIdentifier<CacheConfig> = Symbol.for('embedline.cache.Config');

/** Milliseconds for TTLs; only differences matter. Tests bind their own to move time by hand. */
export type CacheClock = () => number;
export const CACHE_CLOCK: ServiceIdentifier<CacheClock> = Symbol.for('embedline.cache.Clock');

/**
 * Where the plugin's few operational lines go (Redis lost, Redis back). Core has no logger
 * port, so the default is a process warning, as core's own observer guard does.
 */
export type CacheLog = (line: string) => void;
export const CACHE_LOG: ServiceIdentifier<CacheLog> = Symbol.for('embedline.cache.Log');

export const warningLog: CacheLog = (line) => process.emitWarning(line, 'EmbedlineCacheWarning');

/** The near-duplicate tier's Redis Stream (undefined without Redis); bound only with `nearDuplicate.enabled`. Tests close it. */
export const NEAR_DUPLICATE_STREAM: ServiceIdentifier<NearDuplicateStream | undefined> = Symbol.for('embedline.cache.NearDuplicateStream');
