import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { modelScopedCatalogue, modelScopedFileName } from '../../../../core/models/modelScopedCatalogue.js';
import type { PluginDefinition } from '../../../../core/plugin.js';
import { PLUGIN_CATALOGUE } from '../../../../plugins/index.js';

describe('modelScopedCatalogue', () => {
  it('puts the model id before the extension of the last path segment only', () => {
    expect(modelScopedFileName('predictive-batch-size.json', 'bge')).to.equal('predictive-batch-size.bge.json');
    expect(modelScopedFileName('/var/lib/embedline.d/cache.snapshot', 'e5-small-v2')).to.equal('/var/lib/embedline.d/cache.e5-small-v2.snapshot');
    expect(modelScopedFileName('s3://bucket/dir.v1/snapshot', 'm')).to.equal('s3://bucket/dir.v1/snapshot.m');
    expect(modelScopedFileName('.hidden', 'm')).to.equal('.hidden.m');
  });

  it('hands each plugin module the section its forModel returns; plugins without one are untouched', () => {
    const seen: unknown[] = [];
    const withState: PluginDefinition<{ file: string }> = {
      manifest: { name: 'stateful', description: 'test', requires: [], provides: [] },
      configSchema: z.object({ file: z.string() }),
      module: (config) => (seen.push(config), new ContainerModule(() => undefined)),
      forModel: (config, modelId) => ({ file: `${config.file}@${modelId}` }),
    };
    const stateless: PluginDefinition = { manifest: { name: 'stateless', description: 'test', requires: [], provides: [] }, configSchema: z.unknown(), module: () => new ContainerModule(() => undefined) };
    const scoped = modelScopedCatalogue({ stateful: withState as PluginDefinition, stateless }, 'bge');
    scoped.stateful!.module({ file: 'x' });
    expect(seen).to.deep.equal([{ file: 'x@bge' }]);
    expect(scoped.stateless).to.equal(stateless);
  });

  it('scopes the shipped plugins that persist: learner state files and every kind of cache snapshot', () => {
    const parse = (name: string, options: unknown): unknown => PLUGIN_CATALOGUE[name]!.configSchema.parse(options);
    const forModel = (name: string, options: unknown): Record<string, unknown> => PLUGIN_CATALOGUE[name]!.forModel!(parse(name, options), 'bge') as Record<string, unknown>;
    expect(forModel('predictive-batch-size', {}).stateFile).to.equal('predictive-batch-size.bge.json');
    expect(forModel('rl-batch-agent', {}).stateFile).to.equal('rl-batch-agent.bge.json');
    expect(forModel('cache', { snapshot: { path: '/tmp/c.bin' } }).snapshot).to.include({ path: '/tmp/c.bge.bin' });
    expect(forModel('cache', { snapshot: { url: 's3://b/k/c.bin' } }).snapshot).to.include({ url: 's3://b/k/c.bge.bin' });
    expect((forModel('cache', { snapshot: { s3: { bucket: 'b', key: 'c' } } }).snapshot as { s3: { key: string } }).s3.key).to.equal('c.bge');
    expect(forModel('cache', {}).snapshot, 'no snapshot stays none').to.not.have.any.keys('path', 'url', 's3');
  });
});
