import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { configSchema } from '../../../core/config/schema.js';
import { rlBatchAgentConfigSchema } from '../../../plugins/rl-batch-agent/config.js';
import { createRlPolicy } from '../../../plugins/rl-batch-agent/index.js';
import { RlMetrics } from '../../../plugins/rl-batch-agent/RlMetrics.js';
import { CostCurveDevice, CPU_LIKE, seededRandom } from '../../unit/plugins/predictive-batch-size/costCurveDevice.js';
import { runEpochs } from '../../unit/plugins/rl-batch-agent/simulation.js';
import { exposedSampleNames, metricNamesRead } from './support/metricNames.js';
import { promtool } from './support/promtool.js';
import { repoFile } from './support/repoFiles.js';

/**
 * The live-server test enables predictive-batch-size, the alternative policy, so rl-batch-agent's
 * share of the dashboard is checked here: the real agent on the simulated cost-curve device the
 * plugin's unit tests use (no model needed).
 */
describe('rl-batch-agent metrics', () => {
  let cacheDir: string;
  let exposition: string;

  before(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'embedline-rl-metrics-'));
    const metrics = new RlMetrics();
    const agent = await createRlPolicy(rlBatchAgentConfigSchema.parse({}), configSchema.parse({ cacheDir }), metrics);
    // Past the 5 warm-up epochs, so learning epochs are counted too.
    runEpochs(agent, new CostCurveDevice(CPU_LIKE, seededRandom(7)), 20, 4);
    exposition = await metrics.registry.metrics();
  });

  after(async () => rm(cacheDir, { recursive: true, force: true }));

  it('include every one the dashboard and the alerts read, once the agent has played epochs', () => {
    const read = metricNamesRead().filter((name) => name.startsWith('embedline_rl_batch_agent_'));
    const exposed = exposedSampleNames(exposition);

    expect(read).to.not.be.empty;
    expect(read.filter((name) => !exposed.has(name))).to.deep.equal([]);
  });

  it('are each listed in docs/observability.md', () => {
    const docs = readFileSync(repoFile('docs/observability.md'), 'utf8');
    const declared = [...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);

    expect(declared).to.not.be.empty;
    expect(declared.filter((name) => !docs.includes(`\`${name}\``))).to.deep.equal([]);
  });

  it('pass promtool check metrics', async () => {
    const result = await promtool(['check', 'metrics'], { stdin: exposition });

    expect(result.code, result.output).to.equal(0);
    expect(result.output.trim()).to.equal('');
  });
});
