import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FAILURE_REASONS } from '../../../../adapters/sqs/message/failureReasons.js';
import { WorkerMetrics } from '../../../../adapters/sqs/worker/WorkerMetrics.js';
import { ENV_OVERRIDES } from '../../../../core/config/envOverrides.js';

const repoFile = (path: string): string => readFileSync(fileURLToPath(new URL(`../../../../../${path}`, import.meta.url)), 'utf8');
const doc = repoFile('docs/sqs.md');

describe('docs/sqs.md stays in step with the code', () => {
  it('documents every failure reason, and no reason the code does not have', () => {
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \| (?:`EMBEDLINE_|the pipeline)/gm)].map((m) => m[1]);

    expect(documented).to.have.members([...FAILURE_REASONS]);
  });

  it('documents every environment variable of the sqs and sink sections, and no other', () => {
    const ours = Object.entries(ENV_OVERRIDES).filter(([, { path }]) => path[0] === 'sqs' || path[0] === 'sink').map(([name]) => name);
    const table = doc.slice(doc.indexOf('## Configuration'), doc.indexOf('## Local flow'));
    const documented = [...new Set([...table.matchAll(/`(EMBEDLINE_[A-Z0-9_]+)`/g)].map((m) => m[1]!))];

    expect(documented).to.have.members(ours);
  });

  it('documents every metric the worker exports', async () => {
    const metrics = new WorkerMetrics({ size: 0, oldestSentAt: () => undefined });
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);

    expect(names.filter((name) => !doc.includes(`\`${name}\``))).to.deep.equal([]);
  });
});
