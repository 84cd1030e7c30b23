import { expect } from 'chai';
import { dirname } from 'node:path';
import { promtool } from './support/promtool.js';
import { repoFile } from './support/repoFiles.js';

describe('Prometheus SLO alert rules (config/prometheus)', () => {
  it('pass promtool check rules', async () => {
    const result = await promtool(['check', 'rules', repoFile('config/prometheus/alerts.yml')]);

    expect(result.code, result.output).to.equal(0);
  });

  // precision_alerts_test.yml runs in test/integration/precision/observability.test.ts.
  for (const file of ['slo_alerts_test.yml', 'cache_alerts_test.yml']) {
    it(`pass their promtool unit tests in ${file}`, async () => {
      const tests = repoFile(`config/prometheus/tests/${file}`);

      const result = await promtool(['test', 'rules', tests], { cwd: dirname(tests) });

      expect(result.code, result.output).to.equal(0);
      expect(result.output).to.contain('SUCCESS');
    });
  }

  it('pass promtool check config in the local Prometheus setup', async () => {
    const result = await promtool(['check', 'config', repoFile('config/prometheus/prometheus.yml')]);

    expect(result.code, result.output).to.equal(0);
  });
});
