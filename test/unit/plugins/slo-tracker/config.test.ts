import { expect } from 'chai';
import { sloTrackerConfigSchema } from '../../../../plugins/slo-tracker/config.js';

describe('slo-tracker config', () => {
  it('defaults to 99.9 % availability, p95 100 ms and p99 200 ms for every priority', () => {
    const config = sloTrackerConfigSchema.parse({});

    for (const priority of ['critical', 'normal', 'background'] as const) {
      expect(config.objectives[priority]).to.deep.equal({ availability: 0.999, latency: [{ percentile: 95, thresholdMs: 100 }, { percentile: 99, thresholdMs: 200 }] });
    }
  });

  it('defaults to the SRE workbook pairs over a 30-day period in 1-minute slots', () => {
    const config = sloTrackerConfigSchema.parse({});

    expect(config.burnRateAlerts.map((a) => [a.longWindow.text, a.shortWindow.text, a.burnRate])).to.deep.equal([
      ['1h', '5m', 14.4],
      ['6h', '30m', 6],
    ]);
    expect(config.period).to.deep.equal({ text: '30d', ms: 30 * 86_400_000 });
    expect(config.bucket.ms).to.equal(60_000);
  });

  it('keeps the defaults of a priority it is not told about', () => {
    const config = sloTrackerConfigSchema.parse({ objectives: { critical: { availability: 0.9999 } } });

    expect(config.objectives.critical.availability).to.equal(0.9999);
    expect(config.objectives.critical.latency).to.have.length(2);
    expect(config.objectives.normal.availability).to.equal(0.999);
  });

  const invalid: [string, unknown, string][] = [
    ['a window that is not a whole number of buckets', { burnRateAlerts: [{ longWindow: '1h', shortWindow: '90s', burnRate: 10 }] }, 'burnRateAlerts.0.shortWindow'],
    ['a short window not shorter than the long one', { burnRateAlerts: [{ longWindow: '5m', shortWindow: '1h', burnRate: 10 }] }, 'burnRateAlerts.0.shortWindow'],
    ['a duration with two units', { period: '1h30m' }, 'period'],
    ['an availability objective of 100 %', { objectives: { normal: { availability: 1 } } }, 'objectives.normal.availability'],
    ['the same percentile twice', { objectives: { normal: { latency: [{ percentile: 95, thresholdMs: 1 }, { percentile: 95, thresholdMs: 2 }] } } }, 'objectives.normal.latency'],
    ['a period that is not a whole number of period buckets', { period: '90m', periodBucket: '1h' }, 'period'],
    ['an unknown key', { objective: 0.9 }, ''],
    ['an empty list of burn-rate alerts', { burnRateAlerts: [] }, 'burnRateAlerts'],
    ['a duration without a unit, next to valid windows', { period: '30', burnRateAlerts: [{ longWindow: '1h', shortWindow: '5m', burnRate: 14.4 }] }, 'period'],
  ];
  for (const [what, input, path] of invalid) {
    it(`rejects ${what}`, () => {
      const result = sloTrackerConfigSchema.safeParse(input);

      expect(result.success).to.equal(false);
      expect(result.error!.issues.map((i) => i.path.join('.'))).to.include(path);
    });
  }
});
