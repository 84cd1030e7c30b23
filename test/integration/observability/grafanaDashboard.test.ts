import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { dashboardTargets, withGrafanaVariables } from './support/metricNames.js';
import { promtool } from './support/promtool.js';
import { repoFile } from './support/repoFiles.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

const dashboard = (): { uid: string; panels: Panel[] } => JSON.parse(readFileSync(repoFile('config/grafana/dashboards/embedding_slo.json'), 'utf8')) as { uid: string; panels: Panel[] };

describe('Grafana dashboard (config/grafana/dashboards/embedding_slo.json)', () => {
  it('holds only valid PromQL', async () => {
    // Grafana is not installable here; promtool parses each query as a recording rule instead.
    const rules = { groups: [{ name: 'dashboard', rules: dashboardTargets().map((t, i) => ({ record: `dashboard:query_${i}`, expr: withGrafanaVariables(t.expr) })) }] };
    const dir = await mkdtemp(join(tmpdir(), 'embedline-dashboard-'));
    try {
      await writeFile(join(dir, 'queries.yml'), stringify(rules));

      const result = await promtool(['check', 'rules', join(dir, 'queries.yml')]);

      expect(result.code, result.output).to.equal(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives every panel a unique id and a place on the 24-column grid', () => {
    const panels = dashboard().panels;

    expect(new Set(panels.map((p) => p.id)).size).to.equal(panels.length);
    for (const { title, gridPos } of panels) expect(gridPos.x + gridPos.w, title).to.be.at.most(24);
  });

  it('queries the Prometheus data source chosen in its datasource variable', () => {
    for (const panel of dashboard().panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).to.equal('${datasource}');
      expect(panel.targets, panel.title).to.not.be.empty;
      for (const target of panel.targets ?? []) expect(target.datasource?.uid, panel.title).to.equal('${datasource}');
    }
  });

  it('covers throughput, latency, error budget, burn rates, queue, batches, devices and the memory pool', () => {
    const exprs = dashboardTargets().map((t) => t.expr).join('\n');

    for (const metric of ['embedline_requests_total', 'embedline_request_duration_seconds_bucket', 'embedline_slo_error_budget_remaining_ratio', 'embedline_slo_burn_rate', 'embedline_queue_depth', 'embedline_batch_size_bucket', 'embedline_device_batches_total', 'embedline_memory_pool_bytes_held']) {
      expect(exprs).to.contain(metric);
    }
  });
});
