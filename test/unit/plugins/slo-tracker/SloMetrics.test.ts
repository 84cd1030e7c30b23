import { expect } from 'chai';
import { SloMetrics } from '../../../../plugins/slo-tracker/SloMetrics.js';
import { finished, trackerAt } from './fakes.js';

/** The sample value of one series in exposition text, found by its exact labels. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('SloMetrics', () => {
  it('exposes objectives, thresholds and burn-rate thresholds from the config', async () => {
    const { tracker } = trackerAt();

    const text = await new SloMetrics(tracker).registry.metrics();

    expect(sample(text, 'embedline_slo_objective_ratio{slo="latency_p99",priority="critical"}')).to.equal(0.99);
    expect(sample(text, 'embedline_slo_latency_threshold_seconds{slo="latency_p95",priority="normal"}')).to.equal(0.1);
    expect(sample(text, 'embedline_slo_burn_rate_threshold{long_window="6h",short_window="30m"}')).to.equal(6);
  });

  it('reads counts, SLIs, burn rates and budgets from the tracker at scrape time', async () => {
    const { tracker } = trackerAt();
    const metrics = new SloMetrics(tracker);
    for (let i = 0; i < 9; i++) tracker.onRequest(finished.ok({ latencyMs: 150 }));
    tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));

    const text = await metrics.registry.metrics();

    expect(sample(text, 'embedline_slo_requests_total{slo="availability",priority="normal",result="good"}')).to.equal(9);
    expect(sample(text, 'embedline_slo_requests_total{slo="availability",priority="normal",result="bad"}')).to.equal(1);
    expect(sample(text, 'embedline_slo_sli_ratio{slo="latency_p95",priority="normal",window="5m"}')).to.equal(0);
    expect(sample(text, 'embedline_slo_burn_rate{slo="availability",priority="normal",window="1h"}')).to.be.closeTo(100, 1e-9);
    expect(sample(text, 'embedline_slo_error_budget_remaining_ratio{slo="availability",priority="normal"}')).to.be.closeTo(-99, 1e-9);
    expect(sample(text, 'embedline_slo_burn_rate_exceeded{slo="availability",priority="normal",long_window="1h",short_window="5m"}')).to.equal(1);
    expect(sample(text, 'embedline_slo_burn_rate_exceeded{slo="availability",priority="critical",long_window="1h",short_window="5m"}')).to.equal(0);
  });

  it('exposes every SLO of every priority before the first request', async () => {
    const { tracker } = trackerAt();

    const text = await new SloMetrics(tracker).registry.metrics();

    expect(text.match(/^embedline_slo_requests_total\{/gm)).to.have.length(3 * 3 * 2);
    expect(text.match(/^embedline_slo_burn_rate\{/gm)).to.have.length(3 * 3 * 5);
  });

  it('reads the tracker once per scrape, so every gauge describes the same instant', async () => {
    const { tracker } = trackerAt();
    const metrics = new SloMetrics(tracker);
    let reads = 0;
    const status = tracker.status.bind(tracker);
    tracker.status = () => {
      reads++;
      return status();
    };

    await metrics.registry.metrics();
    await metrics.registry.metrics();

    expect(reads).to.equal(2);
  });
});
