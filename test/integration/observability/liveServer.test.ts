import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { exposedSampleNames, metricNamesRead } from './support/metricNames.js';
import { startLiveServer, type LiveServer } from './support/liveServer.js';
import { promtool } from './support/promtool.js';
import { repoFile } from './support/repoFiles.js';

/**
 * Dashboard metrics that other plugins expose; checked once those plugins are in the catalogue.
 * predictive-batch-size stands for the batch-size policies: rl-batch-agent is its alternative
 * (enabling both fails at start), so that one is checked elsewhere.
 */
const METRICS_OF_PLUGINS = [
  { plugin: 'memory-pool', prefix: 'embedline_memory_pool_' },
  { plugin: 'weighted-scheduler', prefix: 'embedline_device_' },
  { plugin: 'cache', prefix: 'embedline_cache_' },
  { plugin: 'predictive-batch-size', prefix: 'embedline_predictive_batch_' },
  { plugin: 'memory-aware-batcher', prefix: 'embedline_memory_aware_batch_' },
] as const;

/**
 * Dashboard metrics this server cannot expose, and where they are checked: the precision plugin
 * needs a calibrated model directory (test/integration/precision/observability.test.ts); the
 * cache's Redis metrics need a Redis (test/integration/plugins/cacheRedis.test.ts); rl-batch-agent
 * cannot run beside predictive-batch-size (test/integration/observability/rlBatchAgentMetrics.test.ts);
 * the cache's near-duplicate and search tiers are off by default and need a calibration or an
 * HTTP search route (test/integration/plugins/cacheNearDuplicate.test.ts, cacheSearch.test.ts).
 * They win over a wider prefix of METRICS_OF_PLUGINS.
 */
const METRICS_CHECKED_ELSEWHERE = [
  { plugin: 'precision', prefix: 'embedline_precision_shadow_' },
  { plugin: 'cache', prefix: 'embedline_cache_redis_' },
  { plugin: 'rl-batch-agent', prefix: 'embedline_rl_batch_agent_' },
  { plugin: 'cache', prefix: 'embedline_cache_near_' },
  { plugin: 'cache', prefix: 'embedline_cache_search_' },
] as const;

const entryOf = (metric: string) => [...METRICS_CHECKED_ELSEWHERE, ...METRICS_OF_PLUGINS].find((p) => metric.startsWith(p.prefix));

describe('a live `embedline serve` with the observability plugins', () => {
  const plugins = ['slo-tracker', ...METRICS_OF_PLUGINS.map((p) => p.plugin)].filter((name) => name in PLUGIN_CATALOGUE);
  let server: LiveServer;
  let exposition: string;

  before(async () => {
    server = await startLiveServer({ EMBEDLINE_PLUGINS: plugins.join(','), EMBEDLINE_API_KEY: '' });
    const post = (body: unknown, priority: string): Promise<Response> =>
      fetch(`${server.base}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-priority': priority }, body: JSON.stringify(body) });
    for (const priority of ['critical', 'normal', 'background']) {
      for (let i = 0; i < 3; i++) expect((await post({ input: [`metrics sentence ${i}`, 'another one'] }, priority)).status).to.equal(200);
    }
    expect((await post({ input: [] }, 'normal')).status).to.equal(422);
    exposition = await (await fetch(`${server.base}/metrics`)).text();
  });

  after(async () => server?.stop());

  it('serves a /metrics page that promtool check metrics accepts', async () => {
    const result = await promtool(['check', 'metrics'], { stdin: exposition });

    expect(result.code, result.output).to.equal(0);
    expect(result.output.trim()).to.equal('');
  });

  it('counts the requests it served towards each SLO of their priority', () => {
    expect(exposition).to.match(/^embedline_slo_requests_total\{slo="availability",priority="critical",result="good"\} 3$/m);
    expect(exposition).to.match(/^embedline_slo_requests_total\{slo="latency_p99",priority="background",result="(good|bad)"\} [1-3]$/m);
    expect(exposition).to.match(/^embedline_slo_requests_total\{slo="availability",priority="normal",result="bad"\} 0$/m);
  });

  it('exposes every core and slo-tracker metric the dashboard and the alerts read', () => {
    const exposed = exposedSampleNames(exposition);

    const missing = metricNamesRead().filter((name) => !entryOf(name) && !exposed.has(name));

    expect(missing).to.deep.equal([]);
  });

  for (const entry of METRICS_OF_PLUGINS) {
    const { plugin } = entry;
    it(`exposes every ${plugin} metric the dashboard reads, once ${plugin} is in the catalogue`, function () {
      if (!(plugin in PLUGIN_CATALOGUE)) this.skip();
      const exposed = exposedSampleNames(exposition);

      const missing = metricNamesRead().filter((name) => entryOf(name) === entry && !exposed.has(name));

      expect(missing).to.deep.equal([]);
    });
  }

  it('has every metric it exposes listed in docs/observability.md', () => {
    const docs = readFileSync(repoFile('docs/observability.md'), 'utf8');
    const declared = [...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);

    const undocumented = declared.filter((name) => !docs.includes(`\`${name}\``));

    expect(undocumented).to.deep.equal([]);
  });
});
