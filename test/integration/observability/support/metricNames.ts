import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { repoFile } from './repoFiles.js';

/**
 * Metric names a PromQL expression reads. String literals are blanked first (label values are no
 * names), and recording-rule names (with colons) are left out: Prometheus makes those, no
 * process exposes them.
 */
export function metricNamesIn(promql: string): string[] {
  const code = promql.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const identifiers = code.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return identifiers.filter((name) => name.startsWith('embedline_') && !name.includes(':'));
}

/** Names of the samples in Prometheus exposition text (histograms show as _bucket, _sum, _count). */
export function exposedSampleNames(exposition: string): Set<string> {
  const names = exposition
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? line);
  return new Set(names);
}

export interface DashboardTarget {
  readonly panel: string;
  readonly expr: string;
}

interface DashboardPanel {
  readonly title: string;
  readonly targets?: readonly { readonly expr: string }[];
  readonly panels?: readonly DashboardPanel[];
}

export function dashboardTargets(): DashboardTarget[] {
  const dashboard = JSON.parse(readFileSync(repoFile('config/grafana/dashboards/embedding_slo.json'), 'utf8')) as { panels: DashboardPanel[] };
  const flat = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  return flat.flatMap((panel) => (panel.targets ?? []).map((t) => ({ panel: panel.title, expr: t.expr })));
}

export function alertExpressions(): string[] {
  const file = parseYaml(readFileSync(repoFile('config/prometheus/alerts.yml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
  return file.groups.flatMap((g) => g.rules.map((r) => r.expr));
}

/** Every metric name the dashboard and the alert rules read, sorted. */
export function metricNamesRead(): string[] {
  const exprs = [...dashboardTargets().map((t) => t.expr), ...alertExpressions()];
  return [...new Set(exprs.flatMap(metricNamesIn))].sort();
}

/** Grafana's variables replaced by values Prometheus accepts, so promtool can parse the query. */
export function withGrafanaVariables(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$priority', '.*');
}
