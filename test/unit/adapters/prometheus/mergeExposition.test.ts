import { expect } from 'chai';
import { Counter, Histogram, Registry } from 'prom-client';
import { metricsPage, withModelLabel } from '../../../../adapters/prometheus/mergeExposition.js';
import { PipelineMetrics } from '../../../../adapters/prometheus/PipelineMetrics.js';
import { promtool } from '../../../integration/observability/support/promtool.js';

/** A plugin's registry as each model's container builds it: the same names in every one. */
function pluginRegistry(hits: number): Registry {
  const registry = new Registry();
  new Counter({ name: 'embedline_plugin_hits_total', help: 'Hits.', labelNames: ['priority'], registers: [registry] }).inc({ priority: 'normal' }, hits);
  new Histogram({ name: 'embedline_plugin_seconds', help: 'Time.', buckets: [1], registers: [registry] }).observe(0.5);
  return registry;
}

describe('the /metrics page of several models', () => {
  it('labels each model\'s plugin samples and writes every family once, and promtool accepts it', async () => {
    const pipeline = new PipelineMetrics({ defaultMetrics: false });
    pipeline.forModel('a').onQueueDepth?.(3);
    pipeline.forModel('b').onQueueDepth?.(5);

    const page = await metricsPage([pipeline.registry], [{ model: 'a', registries: [pluginRegistry(1)] }, { model: 'b', registries: [pluginRegistry(2)] }]);

    expect(page.match(/^# TYPE embedline_plugin_hits_total /gm)).to.have.length(1);
    expect(page.match(/^# HELP embedline_plugin_seconds /gm)).to.have.length(1);
    expect(page).to.match(/^embedline_plugin_hits_total\{model="a",priority="normal"\} 1$/m);
    expect(page).to.match(/^embedline_plugin_hits_total\{model="b",priority="normal"\} 2$/m);
    expect(page).to.match(/^embedline_plugin_seconds_count\{model="b"\} 1$/m);
    expect(page).to.match(/^embedline_queue_depth\{model="a"\} 3$/m);
    expect(page).to.match(/^embedline_queue_depth\{model="b"\} 5$/m);
    const checked = await promtool(['check', 'metrics'], { stdin: page });
    expect(checked.code, checked.output).to.equal(0);
  });

  it('leaves one model\'s plugin samples as they were, and reads a registry shared by two models once', async () => {
    const shared = pluginRegistry(4);

    const one = await metricsPage([], [{ model: 'a', registries: [shared] }]);
    const two = await metricsPage([], [{ model: 'a', registries: [shared] }, { model: 'b', registries: [shared] }]);

    expect(one).to.match(/^embedline_plugin_hits_total\{priority="normal"\} 4$/m);
    expect(two.match(/^embedline_plugin_hits_total/gm)).to.have.length(1);
  });

  it('adds the label to samples with and without labels of their own', () => {
    expect(withModelLabel('x_total 1\ny{a="}"} 2\nz{} 3\n# HELP x_total h', 'm')).to.equal('x_total{model="m"} 1\ny{model="m",a="}"} 2\nz{model="m"} 3\n# HELP x_total h');
  });
});
