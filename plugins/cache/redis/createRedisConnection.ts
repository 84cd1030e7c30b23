import { Redis } from 'ioredis';
import type { CacheConfig } from '../config.js';
import type { RedisConnection } from './RedisConnection.js';

/**
 * An ioredis client that never makes a request wait for Redis: no offline queue (a command
 * while disconnected fails at once), no retries of commands, a per-command timeout; and it
 * reconnects in the background forever, backing off to `maxReconnectDelayMs`.
 */
export function createRedisConnection(config: CacheConfig['redis'] & { url: string }): RedisConnection {
  const redis = new Redis(config.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: Math.max(1_000, config.commandTimeoutMs),
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), config.maxReconnectDelayMs),
  });
  letProcessExit(redis);
  return redis;
}

/** ioredis' connection internals that hold the event loop open (not in its typings). */
interface LoopHandles {
  readonly stream?: { unref?(): void };
  readonly reconnectTimeout?: { unref?(): void } | null;
}

/**
 * The connection never keeps the process alive: the plugin's shutdown hook closes it when the
 * runtime closes, but a one-shot `embedline embed` that exits without closing must not hang (with
 * Redis up: the open socket; down: the reconnection timer). A server stays up through its listener.
 * An attempt to connect is held for at most connectTimeout.
 */
function letProcessExit(redis: Redis): void {
  const handles = redis as unknown as LoopHandles;
  const unrefSocket = (): void => handles.stream?.unref?.();
  redis.on('connect', unrefSocket);
  redis.on('ready', unrefSocket);
  // ioredis sets the timer before it emits 'reconnecting' (the event goes out on the next tick).
  redis.on('reconnecting', () => handles.reconnectTimeout?.unref?.());
}

/** host:port of a Redis URL, for log lines (never the password). */
export function redisEndpoint(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}
