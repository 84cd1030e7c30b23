import type { EmbedlineConfig } from '../../../core/config/schema.js';
import { inFlightTextBudget } from '../inFlightBudget.js';
import type { RetryPolicy } from '../retry.js';

/** Everything the worker loop needs, with the derived defaults filled in and conflicts clamped. */
export interface WorkerSettings {
  readonly queueUrl: string;
  readonly waitTimeSeconds: number;
  readonly visibilityTimeoutSec: number;
  readonly heartbeatIntervalMs: number;
  readonly maxInFlightMessages: number;
  readonly maxInFlightTexts: number;
  readonly pollers: number;
  readonly deleteFlushMs: number;
  readonly retry: RetryPolicy;
  readonly failureBackoffBaseSec: number;
  readonly failureBackoffMaxSec: number;
  readonly invalidMessageVisibilitySec: number;
  readonly shutdownGraceMs: number;
  /** The pipeline timeout for one message's texts (the heartbeat keeps it invisible meanwhile). */
  readonly messageTimeoutMs: number;
}

/** A receive pause longer than this would keep a recovered worker idle for too long. */
const MAX_RECEIVE_PAUSE_MS = 30_000;

/**
 * Resolves `sqs.*` against the rest of the config. Implicit conflicts are clamped and reported in
 * `adjustments` (the caller logs them); explicitly invalid values were rejected by loadConfig.
 */
export function resolveWorkerSettings(config: Readonly<EmbedlineConfig>, queueUrl: string): { settings: WorkerSettings; adjustments: string[] } {
  const { sqs } = config;
  const adjustments: string[] = [];
  let heartbeatSec = sqs.heartbeatIntervalSec ?? Math.max(1, Math.floor(sqs.visibilityTimeoutSec / 3));
  if (heartbeatSec >= sqs.visibilityTimeoutSec) {
    heartbeatSec = Math.max(1, Math.floor(sqs.visibilityTimeoutSec / 2));
    adjustments.push(`sqs.heartbeatIntervalSec (${sqs.heartbeatIntervalSec}) must be shorter than sqs.visibilityTimeoutSec (${sqs.visibilityTimeoutSec}); using ${heartbeatSec}`);
  }
  const budget = inFlightTextBudget(config);
  if (budget.adjustment) adjustments.push(budget.adjustment);
  return {
    adjustments,
    settings: {
      queueUrl,
      waitTimeSeconds: sqs.waitTimeSeconds,
      visibilityTimeoutSec: sqs.visibilityTimeoutSec,
      heartbeatIntervalMs: heartbeatSec * 1000,
      maxInFlightMessages: sqs.maxInFlightMessages,
      maxInFlightTexts: budget.maxTexts,
      pollers: sqs.pollers,
      deleteFlushMs: sqs.deleteFlushMs,
      retry: { attempts: sqs.retryAttempts, baseMs: sqs.retryBaseMs },
      failureBackoffBaseSec: sqs.failureBackoffBaseSec,
      failureBackoffMaxSec: sqs.failureBackoffMaxSec,
      invalidMessageVisibilitySec: sqs.invalidMessageVisibilitySec,
      shutdownGraceMs: sqs.shutdownGraceMs,
      messageTimeoutMs: sqs.messageTimeoutMs,
    },
  };
}

/** Receive pause after retryable failures: the message backoff's base, capped at 30 s. */
export function receivePauseBounds(settings: WorkerSettings): { baseMs: number; maxMs: number } {
  const maxMs = Math.min(MAX_RECEIVE_PAUSE_MS, settings.failureBackoffMaxSec * 1000);
  return { baseMs: Math.min(maxMs, Math.max(100, settings.failureBackoffBaseSec * 1000)), maxMs };
}
