import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { configSchema } from '../../../../core/config/schema.js';
import { buildContainer, resolvePlugins } from '../../../../core/container.js';
import { EmbedlineError } from '../../../../core/errors.js';
import type { PluginCatalogue, PluginDefinition } from '../../../../core/plugin.js';
import { BATCHER } from '../../../../core/ports/Batcher.js';
import { DEVICE_SCHEDULER } from '../../../../core/ports/DeviceScheduler.js';
import { REQUEST_STAGE } from '../../../../core/ports/RequestStage.js';
import { TENSOR_ALLOCATOR } from '../../../../core/ports/TensorAllocator.js';
import { PlainAllocator } from '../../../../core/encoder/packBatch.js';
import { PLUGIN_CATALOGUE } from '../../../../plugins/index.js';

/** A plugin that rebinds TENSOR_ALLOCATOR to its own plain allocator, declaring `provides` as given. */
function allocatorPlugin(name: string, provides: PluginDefinition['manifest']['provides']): PluginDefinition {
  return {
    manifest: { name, description: `${name} test plugin`, requires: [], provides },
    configSchema: z.object({}),
    module: () => new ContainerModule(({ rebind }) => void rebind(TENSOR_ALLOCATOR).toConstantValue(new PlainAllocator())),
  };
}

function thrown(run: () => unknown): EmbedlineError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(EmbedlineError);
    return error as EmbedlineError;
  }
  expect.fail('expected an EmbedlineError');
}

const configWith = (plugins: string[]) => configSchema.parse({ plugins });

describe('plugin manifests: provides and conflicts', () => {
  const catalogue: PluginCatalogue = {
    'pool-a': allocatorPlugin('pool-a', [TENSOR_ALLOCATOR]),
    'pool-b': allocatorPlugin('pool-b', [TENSOR_ALLOCATOR]),
    'pool-undeclared': allocatorPlugin('pool-undeclared', []),
  };

  it('refuses two enabled plugins that provide the same port, naming both and the port', () => {
    const error = thrown(() => resolvePlugins(configWith(['pool-a', 'pool-b']), catalogue));
    expect(error.code).to.equal('EMBEDLINE_PLUGIN_CONFLICT');
    expect(error.message).to.include('"pool-a"').and.include('"pool-b"').and.include('embedline.TensorAllocator');
    expect(error.context).to.deep.equal({ port: 'embedline.TensorAllocator', plugins: ['pool-a', 'pool-b'] });
  });

  it('refuses a plugin that rebinds a port its manifest does not declare', () => {
    const error = thrown(() => buildContainer(configWith(['pool-undeclared']), catalogue));
    expect(error.code).to.equal('EMBEDLINE_PLUGIN_CONFLICT');
    expect(error.message).to.include('"pool-undeclared" rebinds embedline.TensorAllocator');
  });

  it('builds with one provider of a port, which then replaces the core default', () => {
    const container = buildContainer(configWith(['pool-a']), catalogue);
    expect(container.get(TENSOR_ALLOCATOR)).to.be.instanceOf(PlainAllocator);
  });

  it('lets a plugin add to a multi-bound port without declaring it', () => {
    const stagePlugin: PluginDefinition = {
      manifest: { name: 'stage', description: 'adds a request stage', requires: [], provides: [] },
      configSchema: z.object({}),
      module: () => new ContainerModule(({ bind }) => void bind(REQUEST_STAGE).toConstantValue({ name: 'noop', order: 0 })),
    };
    const container = buildContainer(configWith(['stage']), { stage: stagePlugin });
    expect(container.getAll(REQUEST_STAGE).map((s) => s.name)).to.deep.equal(['noop']);
  });

  it('shipped plugins that provide the same port are exactly the documented alternatives, and refuse each other', () => {
    const byPort = new Map<unknown, string[]>();
    for (const [name, plugin] of Object.entries(PLUGIN_CATALOGUE)) {
      for (const port of plugin.manifest.provides) byPort.set(port, [...(byPort.get(port) ?? []), name]);
    }
    const shared = [...byPort.values()].filter((names) => names.length > 1);
    expect(shared).to.deep.equal([['predictive-batch-size', 'rl-batch-agent']]);
    const error = thrown(() => resolvePlugins(configWith(['predictive-batch-size', 'rl-batch-agent']), PLUGIN_CATALOGUE));
    expect(error.code).to.equal('EMBEDLINE_PLUGIN_CONFLICT');
    expect(error.message).to.include('embedline.BatchSizePolicy');
  });

  it('builds all shipped plugins together with either batch-size policy, each module through the guard', () => {
    // Building the container runs every module through the guard: an undeclared rebind throws here.
    for (const policy of ['predictive-batch-size', 'rl-batch-agent']) {
      const names = Object.keys(PLUGIN_CATALOGUE).filter((n) => n === policy || !['predictive-batch-size', 'rl-batch-agent'].includes(n));
      const container = buildContainer(configWith(names), PLUGIN_CATALOGUE);
      expect(container.isBound(DEVICE_SCHEDULER)).to.equal(true);
      expect(container.isBound(BATCHER)).to.equal(true);
    }
  });
});
