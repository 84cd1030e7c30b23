import { Redis } from 'ioredis';
import type { CacheConfig } from '../config.js';
import type { RedisConnection } from './RedisConnection.js';

/**
 * An ioredis client that never makes a request wait for Redis: no offline queue (a command
 * while disconnected fails at once), no retries of commands, a per-command timeout; and it
 * reconnects in the background forever, backing off to `maxReconnectDelayMs`.
 */
export function createRedisConnection(config: CacheConfig['redis'] & { url: string }): RedisConnection {
  return new Redis(config.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: Math.max(1_000, config.commandTimeoutMs),
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), config.maxReconnectDelayMs),
  });
}

/** host:port of a Redis URL, for log lines (never the password). */
export function redisEndpoint(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}
