import { expect } from 'chai';
import { finished, HOUR, MINUTE, statusOf, trackerAt } from './fakes.js';

describe('SloTracker', () => {
  describe('availability', () => {
    it('counts server errors as bad and leaves client errors out', () => {
      const { tracker } = trackerAt();
      for (let i = 0; i < 8; i++) tracker.onRequest(finished.ok());
      tracker.onRequest(finished.failed('EMBEDLINE_OVERLOADED'));
      tracker.onRequest(finished.failed('EMBEDLINE_TIMEOUT'));
      for (const code of ['EMBEDLINE_BAD_INPUT', 'EMBEDLINE_INPUT_TOO_LARGE', 'EMBEDLINE_CANCELLED', 'EMBEDLINE_UNAUTHORIZED'] as const) tracker.onRequest(finished.failed(code));

      expect(statusOf(tracker, 'availability').window('5m').sli).to.be.closeTo(0.8, 1e-9);
      expect(statusOf(tracker, 'availability').ledger.lifetime).to.deep.equal({ good: 8, bad: 2 });
    });

    it('spends the error budget over the period and reports what is left', () => {
      const { tracker, advance } = trackerAt({ objectives: { normal: { availability: 0.99 } } });
      for (let i = 0; i < 400; i++) tracker.onRequest(finished.ok());
      advance(3 * 86_400_000);
      for (let i = 0; i < 599; i++) tracker.onRequest(finished.ok());
      tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));
      tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));

      // 2 bad of 1001 against an allowed 1 %: burn rate 0.1998 over 30 days, so 80 % left.
      expect(statusOf(tracker, 'availability').budgetRemaining).to.be.closeTo(1 - 2 / 1001 / 0.01, 1e-9);
    });

    it('forgets bad requests older than the period', () => {
      const { tracker, advance } = trackerAt();
      tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));
      advance(30 * 86_400_000);
      tracker.onRequest(finished.ok());

      expect(statusOf(tracker, 'availability').budgetRemaining).to.equal(1);
    });
  });

  describe('latency', () => {
    it('applies the default p95 100 ms and p99 200 ms objectives to every priority', () => {
      const { tracker } = trackerAt();
      for (const priority of ['critical', 'normal', 'background'] as const) {
        tracker.onRequest(finished.ok({ priority, latencyMs: 150 }));
      }

      for (const priority of ['critical', 'normal', 'background']) {
        expect(statusOf(tracker, 'latency_p95', priority).ledger.slo).to.include({ objective: 0.95, thresholdMs: 100 });
        expect(statusOf(tracker, 'latency_p95', priority).window('5m').sli).to.equal(0);
        expect(statusOf(tracker, 'latency_p99', priority).window('5m').sli).to.equal(1);
      }
    });

    it('judges each priority against its own objectives', () => {
      const { tracker } = trackerAt({ objectives: { critical: { latency: [{ percentile: 99, thresholdMs: 50 }] }, background: { latency: [{ percentile: 90, thresholdMs: 2000 }] } } });
      tracker.onRequest(finished.ok({ priority: 'critical', latencyMs: 80 }));
      tracker.onRequest(finished.ok({ priority: 'background', latencyMs: 1500 }));
      tracker.onRequest(finished.ok({ priority: 'normal', latencyMs: 80 }));

      expect(statusOf(tracker, 'latency_p99', 'critical').window('5m').sli).to.equal(0);
      expect(statusOf(tracker, 'latency_p90', 'background').window('5m').sli).to.equal(1);
      expect(statusOf(tracker, 'latency_p95', 'normal').window('5m').sli).to.equal(1);
      expect(() => statusOf(tracker, 'latency_p95', 'critical')).to.throw('no SLO');
    });

    it('counts a request of exactly the threshold as good', () => {
      const { tracker } = trackerAt();
      tracker.onRequest(finished.ok({ latencyMs: 100 }));

      expect(statusOf(tracker, 'latency_p95').window('5m').sli).to.equal(1);
    });

    it('leaves failed requests out of latency SLOs', () => {
      const { tracker } = trackerAt();
      tracker.onRequest(finished.failed('EMBEDLINE_TIMEOUT', { latencyMs: 30_000 }));

      expect(statusOf(tracker, 'latency_p95').ledger.lifetime).to.deep.equal({ good: 0, bad: 0 });
    });
  });

  describe('burn rates over rolling windows', () => {
    it('reports each window its own burn rate', () => {
      const { tracker, advance } = trackerAt();
      for (let i = 0; i < 100; i++) tracker.onRequest(finished.ok());
      advance(40 * MINUTE);
      for (let i = 0; i < 98; i++) tracker.onRequest(finished.ok());
      tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));
      tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));
      const availability = statusOf(tracker, 'availability');

      expect(availability.window('5m').burnRate).to.be.closeTo(20, 1e-9);
      expect(availability.window('30m').burnRate).to.be.closeTo(20, 1e-9);
      expect(availability.window('1h').burnRate).to.be.closeTo(10, 1e-9);
    });

    it('rolls bad requests out of the short window while the long one still holds them', () => {
      const { tracker, advance } = trackerAt();
      tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));
      advance(5 * MINUTE);
      tracker.onRequest(finished.ok());
      const availability = statusOf(tracker, 'availability');

      expect(availability.window('5m').burnRate).to.equal(0);
      expect(availability.window('1h').burnRate).to.be.closeTo(500, 1e-9);
    });

    it('holds the fast-burn pair only while both of its windows exceed 14.4x', () => {
      const { tracker, advance } = trackerAt();
      for (let i = 0; i < 95; i++) tracker.onRequest(finished.ok());
      for (let i = 0; i < 5; i++) tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));

      expect(statusOf(tracker, 'availability').alert('1h')).to.equal(true);
      expect(statusOf(tracker, 'availability').alert('6h')).to.equal(true);

      advance(5 * MINUTE);
      for (let i = 0; i < 10; i++) tracker.onRequest(finished.ok());
      expect(statusOf(tracker, 'availability').alert('1h')).to.equal(false);
    });

    it('does not hold the fast-burn pair for a burn rate that only the slow pair catches', () => {
      const { tracker } = trackerAt();
      for (let i = 0; i < 990; i++) tracker.onRequest(finished.ok());
      for (let i = 0; i < 10; i++) tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));

      expect(statusOf(tracker, 'availability').alert('1h')).to.equal(false);
      expect(statusOf(tracker, 'availability').alert('6h')).to.equal(true);
    });

    it('uses configured window pairs', () => {
      const { tracker } = trackerAt({ burnRateAlerts: [{ longWindow: '3d', shortWindow: '6h', burnRate: 1 }], bucket: '1h' });

      expect(tracker.windows.map((w) => w.text)).to.deep.equal(['6h', '3d', '30d']);
    });

    it('keeps priorities apart', () => {
      const { tracker } = trackerAt();
      tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE', { priority: 'background' }));
      tracker.onRequest(finished.ok({ priority: 'critical' }));

      expect(statusOf(tracker, 'availability', 'critical').window('5m').burnRate).to.equal(0);
      expect(statusOf(tracker, 'availability', 'background').window('5m').burnRate).to.be.closeTo(1000, 1e-6);
      expect(statusOf(tracker, 'availability', 'normal').window('5m').sli).to.equal(1);
    });

    it('answers windows longer than the recent ring from the period ring', () => {
      const { tracker, advance } = trackerAt();
      tracker.onRequest(finished.failed('EMBEDLINE_INFERENCE'));
      advance(7 * HOUR);
      tracker.onRequest(finished.ok());

      expect(statusOf(tracker, 'availability').window('6h').burnRate).to.equal(0);
      expect(statusOf(tracker, 'availability').window('30d').burnRate).to.be.closeTo(500, 1e-9);
    });
  });
});
