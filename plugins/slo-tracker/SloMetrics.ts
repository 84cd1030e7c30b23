import { inject, injectable } from 'inversify';
import { Counter, Gauge, Registry } from 'prom-client';
import type { BurnRateAlert } from './config.js';
import type { SloLedger } from './SloLedger.js';
import { SloTracker, type SloStatus } from './SloTracker.js';

type SloLabel = 'slo' | 'priority';
type WindowLabel = SloLabel | 'window';
type PairLabel = 'long_window' | 'short_window';

/**
 * The tracker in Prometheus form, on a Registry this plugin owns (bound to METRICS_REGISTRY, so
 * `/metrics` serves it). Nothing is pushed per request: every value is read from the tracker
 * when scraped, so the request path pays only for the tracker's own counting.
 * Metric meanings are listed in docs/observability.md.
 *
 * @example
 * const metrics = new SloMetrics(tracker);
 * const text = await metrics.registry.metrics();
 */
@injectable()
export class SloMetrics {
  readonly registry = new Registry();
  private scrapeStatus: readonly SloStatus[] | undefined;

  constructor(@inject(SloTracker) private readonly tracker: SloTracker) {
    this.exposeCounts();
    this.exposeTargets();
    this.exposeWindows();
    this.exposeBudgets();
    this.exposeBurnRateAlerts();
  }

  /** Lifetime good and bad counts, for rates and burn rates computed by Prometheus (alerts.yml). */
  private exposeCounts(): void {
    const requests = new Counter<SloLabel | 'result'>({
      name: 'embedline_slo_requests_total',
      help: 'Requests counted towards each SLO, by result (good or bad). Client errors are not counted; latency SLOs count successful requests only.',
      labelNames: ['slo', 'priority', 'result'],
      registers: [this.registry],
      collect: () => {
        requests.reset();
        for (const ledger of this.tracker.ledgers) {
          const { good, bad } = ledger.lifetime;
          requests.inc({ ...sloLabels(ledger), result: 'good' }, good);
          requests.inc({ ...sloLabels(ledger), result: 'bad' }, bad);
        }
      },
    });
  }

  /** The configured objectives and latency thresholds: constant, set once. */
  private exposeTargets(): void {
    const objective = new Gauge<SloLabel>({ name: 'embedline_slo_objective_ratio', help: 'Share of counted requests each SLO requires to be good.', labelNames: ['slo', 'priority'], registers: [this.registry] });
    const threshold = new Gauge<SloLabel>({ name: 'embedline_slo_latency_threshold_seconds', help: 'Slowest a request may be and still count as good, per latency SLO.', labelNames: ['slo', 'priority'], registers: [this.registry] });
    for (const ledger of this.tracker.ledgers) {
      objective.set(sloLabels(ledger), ledger.slo.objective);
      if (ledger.slo.thresholdMs !== undefined) threshold.set(sloLabels(ledger), ledger.slo.thresholdMs / 1000);
    }
  }

  private exposeWindows(): void {
    const sli = new Gauge<WindowLabel>({
      name: 'embedline_slo_sli_ratio',
      help: 'Share of counted requests that were good over the rolling window (1 when the window counted none).',
      labelNames: ['slo', 'priority', 'window'],
      registers: [this.registry],
      collect: (): void => this.setPerWindow(sli, (w) => w.sli),
    });
    const burn = new Gauge<WindowLabel>({
      name: 'embedline_slo_burn_rate',
      help: 'Error-budget burn rate over the rolling window: bad share / (1 - objective); 1 spends exactly the budget over the SLO period.',
      labelNames: ['slo', 'priority', 'window'],
      registers: [this.registry],
      collect: (): void => this.setPerWindow(burn, (w) => w.burnRate),
    });
  }

  private exposeBudgets(): void {
    const budget = new Gauge<SloLabel>({
      name: 'embedline_slo_error_budget_remaining_ratio',
      help: `Share of the error budget left over the rolling ${this.tracker.period.text} SLO period (negative once the objective is missed). Starts afresh with the process.`,
      labelNames: ['slo', 'priority'],
      registers: [this.registry],
      collect: () => {
        budget.reset();
        for (const status of this.statusForScrape()) budget.set(sloLabels(status.ledger), status.budgetRemaining);
      },
    });
  }

  /** The in-process view of the multi-window alerts: each pair's threshold, and whether it holds. */
  private exposeBurnRateAlerts(): void {
    const threshold = new Gauge<PairLabel>({ name: 'embedline_slo_burn_rate_threshold', help: 'Burn rate above which a multi-window burn-rate alert holds, per window pair.', labelNames: ['long_window', 'short_window'], registers: [this.registry] });
    for (const alert of this.tracker.burnRateAlerts) threshold.set(pairLabels(alert), alert.burnRate);
    const exceeded = new Gauge<SloLabel | PairLabel>({
      name: 'embedline_slo_burn_rate_exceeded',
      help: '1 while both windows of the pair burn the error budget faster than the pair threshold, else 0.',
      labelNames: ['slo', 'priority', 'long_window', 'short_window'],
      registers: [this.registry],
      collect: () => {
        exceeded.reset();
        for (const status of this.statusForScrape()) {
          for (const { alert, exceeded: holds } of status.alerts) exceeded.set({ ...sloLabels(status.ledger), ...pairLabels(alert) }, holds ? 1 : 0);
        }
      },
    });
  }

  private setPerWindow(gauge: Gauge<WindowLabel>, value: (w: SloStatus['windows'][number]) => number): void {
    gauge.reset();
    for (const status of this.statusForScrape()) {
      for (const w of status.windows) gauge.set({ ...sloLabels(status.ledger), window: w.window.text }, value(w));
    }
  }

  /**
   * One status per scrape, so all gauges describe the same instant and the windows are summed
   * once. prom-client runs every collect() of a scrape in one synchronous pass; the cache is
   * dropped in the next microtask (were the passes ever split, each would just compute afresh).
   */
  private statusForScrape(): readonly SloStatus[] {
    if (!this.scrapeStatus) {
      this.scrapeStatus = this.tracker.status();
      queueMicrotask(() => (this.scrapeStatus = undefined));
    }
    return this.scrapeStatus;
  }
}

function sloLabels(ledger: SloLedger): Record<SloLabel, string> {
  return { slo: ledger.slo.name, priority: ledger.slo.priority };
}

function pairLabels(alert: BurnRateAlert): Record<PairLabel, string> {
  return { long_window: alert.longWindow.text, short_window: alert.shortWindow.text };
}
