import { EmbedlineError, type ErrorCode } from '../../../../core/errors.js';
import type { RequestCompleted } from '../../../../core/ports/PipelineObserver.js';
import { sloTrackerConfigSchema, type SloTrackerConfigInput } from '../../../../plugins/slo-tracker/config.js';
import { SloTracker } from '../../../../plugins/slo-tracker/SloTracker.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A finished request: successful, normal priority, 10 ms unless told otherwise. */
export const finished = {
  ok: (overrides: Partial<RequestCompleted> = {}): RequestCompleted => ({ requestId: 'r', priority: 'normal', texts: 1, promptTokens: 4, latencyMs: 10, ...overrides }),
  failed: (code: ErrorCode, overrides: Partial<RequestCompleted> = {}): RequestCompleted => finished.ok({ error: new EmbedlineError(code, 'test'), ...overrides }),
};

/** A tracker on a hand-moved clock, starting at an arbitrary non-zero time. */
export function trackerAt(config: SloTrackerConfigInput = {}): { tracker: SloTracker; advance: (ms: number) => void } {
  let now = 10 * 86_400_000;
  const tracker = new SloTracker(sloTrackerConfigSchema.parse(config), () => now);
  return { tracker, advance: (ms) => void (now += ms) };
}

export function statusOf(tracker: SloTracker, slo: string, priority = 'normal') {
  const status = tracker.status().find((s) => s.ledger.slo.name === slo && s.ledger.slo.priority === priority);
  if (!status) throw new Error(`no SLO ${slo} for ${priority}`);
  return {
    ...status,
    window: (text: string) => {
      const found = status.windows.find((w) => w.window.text === text);
      if (!found) throw new Error(`no window ${text}`);
      return found;
    },
    alert: (longWindow: string) => status.alerts.find((a) => a.alert.longWindow.text === longWindow)!.exceeded,
  };
}
