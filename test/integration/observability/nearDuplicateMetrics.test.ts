import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { CacheMetrics } from '../../../plugins/cache/CacheMetrics.js';
import { NearDuplicateMetrics } from '../../../plugins/cache/neardup/NearDuplicateMetrics.js';
import { promtool } from './support/promtool.js';
import { repoFile } from './support/repoFiles.js';

/**
 * The live-server test runs the cache without the near-duplicate tier (it needs a calibration),
 * so the tier's metrics are checked here, each with a sample.
 */
describe('cache near-duplicate metrics', () => {
  let exposition: string;

  before(async () => {
    const cache = new CacheMetrics();
    const metrics = new NearDuplicateMetrics(cache.registry, () => 3);
    metrics.hit('background', 0.97);
    metrics.miss('normal', 2);
    metrics.announcement('sent');
    metrics.announcement('added');
    metrics.announcementLag(0.02);
    metrics.streamError('read');
    exposition = await cache.registry.metrics();
  });

  it('are each listed in docs/observability.md', () => {
    const docs = readFileSync(repoFile('docs/observability.md'), 'utf8');
    const declared = [...exposition.matchAll(/^# TYPE (embedline_cache_near_\S+) /gm)].map((m) => m[1]!);

    expect(declared).to.have.length(7);
    expect(declared.filter((name) => !docs.includes(`\`${name}\``))).to.deep.equal([]);
  });

  it('pass promtool check metrics', async () => {
    const result = await promtool(['check', 'metrics'], { stdin: exposition });

    expect(result.code, result.output).to.equal(0);
    expect(result.output.trim()).to.equal('');
  });
});
