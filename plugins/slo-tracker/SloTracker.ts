import { inject, injectable } from 'inversify';
import type { PipelineObserver, RequestCompleted } from '../../core/ports/PipelineObserver.js';
import type { Priority } from '../../core/pipeline/types.js';
import { burnRate, sliRatio } from './burnMath.js';
import type { Clock } from './clock.js';
import { longestWindow, type BurnRateAlert, type SloTrackerConfig } from './config.js';
import type { Duration } from './duration.js';
import { sloDefinitions } from './objectives.js';
import { SloLedger } from './SloLedger.js';
import { SLO_CLOCK, SLO_TRACKER_CONFIG } from './tokens.js';

/** One SLO's state when read: SLI and burn rate per window, budget left, which burn alerts hold. */
export interface SloStatus {
  readonly ledger: SloLedger;
  readonly windows: readonly { readonly window: Duration; readonly sli: number; readonly burnRate: number }[];
  readonly budgetRemaining: number;
  readonly alerts: readonly { readonly alert: BurnRateAlert; readonly exceeded: boolean }[];
}

/**
 * Tracks every configured SLO from finished requests: availability and latency objectives per
 * priority, error budget over the rolling period, and burn rates over the SRE workbook's
 * multi-window pairs. Recording a request costs a few array writes per SLO of its priority;
 * everything else is computed on read (`status()`, called per scrape).
 *
 * @example
 * const tracker = new SloTracker(sloTrackerConfigSchema.parse({}), monotonicClock);
 * tracker.onRequest({ requestId: 'r1', priority: 'normal', texts: 1, promptTokens: 4, latencyMs: 42 });
 * tracker.status().find((s) => s.ledger.slo.name === 'latency_p95')?.budgetRemaining; // 1
 */
@injectable()
export class SloTracker implements PipelineObserver {
  readonly ledgers: readonly SloLedger[];
  /** Every window any gauge reports on, shortest first: the burn-rate windows and the period. */
  readonly windows: readonly Duration[];
  private readonly byPriority: Readonly<Record<Priority, readonly SloLedger[]>>;

  constructor(
    @inject(SLO_TRACKER_CONFIG) private readonly config: SloTrackerConfig,
    @inject(SLO_CLOCK) private readonly clock: Clock,
  ) {
    const layout = { bucket: config.bucket, recentSpan: longestWindow(config), periodBucket: config.periodBucket, period: config.period };
    this.ledgers = sloDefinitions(config).map((slo) => new SloLedger(slo, layout));
    this.byPriority = {
      critical: this.ledgers.filter((l) => l.slo.priority === 'critical'),
      normal: this.ledgers.filter((l) => l.slo.priority === 'normal'),
      background: this.ledgers.filter((l) => l.slo.priority === 'background'),
    };
    this.windows = distinctWindows([...config.burnRateAlerts.flatMap((a) => [a.shortWindow, a.longWindow]), config.period]);
  }

  /** The SLO period the error budget covers. */
  get period(): Duration {
    return this.config.period;
  }

  get burnRateAlerts(): readonly BurnRateAlert[] {
    return this.config.burnRateAlerts;
  }

  onRequest(event: RequestCompleted): void {
    const now = this.clock();
    for (const ledger of this.byPriority[event.priority] ?? []) ledger.record(now, ledger.slo.judge(event));
  }

  status(): SloStatus[] {
    const now = this.clock();
    return this.ledgers.map((ledger) => {
      const windows = this.windows.map((window) => {
        const counts = ledger.counts(now, window);
        return { window, sli: sliRatio(counts), burnRate: burnRate(counts, ledger.slo.objective) };
      });
      const rate = (w: Duration): number => windows.find((x) => x.window.ms === w.ms)!.burnRate;
      // `>` as in config/prometheus/alerts.yml, so both say the same about the same counts.
      const alerts = this.config.burnRateAlerts.map((alert) => ({ alert, exceeded: rate(alert.longWindow) > alert.burnRate && rate(alert.shortWindow) > alert.burnRate }));
      return { ledger, windows, budgetRemaining: ledger.budgetRemaining(now), alerts };
    });
  }
}

function distinctWindows(windows: readonly Duration[]): Duration[] {
  const byMs = new Map(windows.map((w) => [w.ms, w]));
  return [...byMs.values()].sort((a, b) => a.ms - b.ms);
}
