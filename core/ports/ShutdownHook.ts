import type { ServiceIdentifier } from 'inversify';

/**
 * Work a plugin does when the runtime closes: write a last snapshot, close a connection.
 * `EmbedlineRuntime.close()` runs every bound hook after the batcher has drained (so the last
 * vectors are in) and before the devices close, all at once, each within its own time limit; a
 * hook that fails or runs out of time is logged as a process warning and the others go on, so a
 * hook can never keep a process from exiting. Multi-bound: bind as many as you like.
 *
 * @example
 * bind(SHUTDOWN_HOOKS).toConstantValue({ name: 'cache-snapshot', timeoutMs: 5_000, onShutdown: () => snapshots.save() });
 */
export interface ShutdownHook {
  /** Shown in the warning when the hook fails or times out. */
  readonly name: string;
  /** How long close() waits for it; default {@link DEFAULT_SHUTDOWN_HOOK_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  onShutdown(): Promise<unknown> | unknown;
}

/** Within ECS's default 30 s stop timeout, after the HTTP server or SQS worker has drained. */
export const DEFAULT_SHUTDOWN_HOOK_TIMEOUT_MS = 10_000;

export const SHUTDOWN_HOOKS: ServiceIdentifier<ShutdownHook> = Symbol.for('embedline.ShutdownHook');
