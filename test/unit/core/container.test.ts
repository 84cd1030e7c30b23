import { expect } from 'chai';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { z } from 'zod';
import { ConfigError } from '../../../core/config/loadConfig.js';
import { configSchema } from '../../../core/config/schema.js';
import { EMBEDLINE_CONFIG } from '../../../core/config/tokens.js';
import { buildContainer, resolvePlugins } from '../../../core/container.js';
import { PlainAllocator } from '../../../core/encoder/packBatch.js';
import { EmbedlineError } from '../../../core/errors.js';
import type { PluginCatalogue, PluginDefinition } from '../../../core/plugin.js';
import { BATCH_SIZE_POLICY } from '../../../core/ports/BatchSizePolicy.js';
import { BATCHER } from '../../../core/ports/Batcher.js';
import { DEVICE_SCHEDULER } from '../../../core/ports/DeviceScheduler.js';
import { REQUEST_STAGE } from '../../../core/ports/RequestStage.js';
import { TENSOR_ALLOCATOR } from '../../../core/ports/TensorAllocator.js';
import { MODEL_RUNTIME } from '../../../core/ports/ModelRuntime.js';
import { ENCODE_PIPELINE } from '../../../core/pipeline/EncodePipeline.js';
import { StaticBatchSizePolicy } from '../../../core/pipeline/StaticBatchSizePolicy.js';

/** A plugin's own value, so a test can see which plugins' modules were loaded, with what options. */
const MARK: ServiceIdentifier<{ plugin: string; options: unknown }> = Symbol.for('embedline.test.Mark');

/** A catalogue entry that adds a request stage named after it and records the options it was built with. */
function markingPlugin(name: string, options: { requires?: string[]; schema?: z.ZodType } = {}): PluginDefinition & { readonly built: unknown[] } {
  const built: unknown[] = [];
  return {
    built,
    manifest: { name, description: `${name} test plugin`, requires: options.requires ?? [], provides: [] },
    configSchema: options.schema ?? z.object({}),
    module: (parsed) => {
      built.push(parsed);
      return new ContainerModule(({ bind }) => {
        bind(REQUEST_STAGE).toConstantValue({ name, order: 0 });
        bind(MARK).toConstantValue({ plugin: name, options: parsed });
      });
    },
  };
}

function thrown(run: () => unknown): EmbedlineError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(EmbedlineError);
    return error as EmbedlineError;
  }
  return expect.fail('expected an EmbedlineError');
}

const configWith = (input: Record<string, unknown>) => Object.freeze(configSchema.parse(input));

describe('buildContainer (the composition root)', () => {
  it('binds the core defaults when no plugin is enabled', () => {
    const container = buildContainer(configWith({}), {});

    // The batcher, scheduler and pipeline resolve only with the model loaded; binding is checked here, resolving in the integration tests.
    for (const port of [MODEL_RUNTIME, DEVICE_SCHEDULER, BATCHER, ENCODE_PIPELINE]) expect(container.isBound(port), String(port)).to.equal(true);
    expect(container.get(BATCH_SIZE_POLICY)).to.be.instanceOf(StaticBatchSizePolicy);
    expect(container.get(TENSOR_ALLOCATOR)).to.be.instanceOf(PlainAllocator);
    expect(container.isBound(REQUEST_STAGE)).to.equal(false);
  });

  it('hands the frozen config it was given to whatever injects EMBEDLINE_CONFIG', () => {
    const config = configWith({ batching: { maxBatchSize: 7 } });

    expect(buildContainer(config, {}).get(EMBEDLINE_CONFIG)).to.equal(config);
  });

  it('loads only the enabled subset of the catalogue, each module built once with its parsed options', () => {
    const schema = z.object({ size: z.number().default(3) });
    const catalogue = { a: markingPlugin('a', { schema }), b: markingPlugin('b'), c: markingPlugin('c', { schema }) };

    const container = buildContainer(configWith({ plugins: ['c', 'a'], pluginOptions: { a: { size: 9 } } }), catalogue);

    expect(container.getAll(REQUEST_STAGE).map((s) => s.name)).to.have.members(['a', 'c']);
    expect(catalogue.a.built).to.deep.equal([{ size: 9 }]);
    expect(catalogue.c.built, 'schema defaults applied to a missing section').to.deep.equal([{ size: 3 }]);
    expect(catalogue.b.built, 'a plugin that is not enabled is never built').to.deep.equal([]);
  });

  it('enables a plugin listed twice only once', () => {
    const catalogue = { a: markingPlugin('a') };

    const container = buildContainer(configWith({ plugins: ['a', 'a'] }), catalogue);

    expect(container.getAll(MARK)).to.have.length(1);
    expect(catalogue.a.built).to.have.length(1);
  });

  it('loads the caller\'s override modules last, so they replace core and plugin bindings', () => {
    const mine = new PlainAllocator();
    const override = new ContainerModule(({ rebind }) => {
      rebind(TENSOR_ALLOCATOR).toConstantValue(mine);
      rebind(MARK).toConstantValue({ plugin: 'override', options: {} });
    });

    const container = buildContainer(configWith({ plugins: ['a'] }), { a: markingPlugin('a') }, [override]);

    expect(container.get(TENSOR_ALLOCATOR)).to.equal(mine);
    expect(container.get<{ plugin: string }>(MARK).plugin).to.equal('override');
  });
});

describe('resolvePlugins (start-up checks, before anything is bound)', () => {
  const catalogue: PluginCatalogue = {
    strict: markingPlugin('strict', { schema: z.strictObject({ limit: z.number().int().positive() }) }),
    needy: markingPlugin('needy', { requires: ['strict', 'helper'] }),
    helper: markingPlugin('helper'),
  };

  it('names an unknown plugin and lists the known ones', () => {
    const error = thrown(() => resolvePlugins(configWith({ plugins: ['nope'] }), catalogue));

    expect(error).to.be.instanceOf(ConfigError);
    expect(error.code).to.equal('EMBEDLINE_CONFIG');
    expect((error as ConfigError).problems).to.deep.equal(['plugins: unknown plugin "nope"; known plugins: strict, needy, helper']);
  });

  it('names the seed switch that enabled a plugin this build lacks', () => {
    const error = thrown(() => resolvePlugins(configWith({ plugins: ['predictive-batch-size'] }), catalogue)) as ConfigError;

    expect(error.problems[0]).to.contain('EMBEDDING_ADAPTIVE_BATCH_SIZE').and.contain('unset the switch');
  });

  it('reports options for a plugin that does not exist, together with the unknown plugin', () => {
    const error = thrown(() => resolvePlugins(configWith({ plugins: ['nope'], pluginOptions: { typo: {} } }), catalogue)) as ConfigError;

    expect(error.problems).to.have.length(2);
    expect(error.problems[1]).to.equal('pluginOptions.typo: no such plugin');
  });

  it('reports every invalid option of every enabled plugin by its path, at once', () => {
    const error = thrown(() => resolvePlugins(configWith({ plugins: ['strict'], pluginOptions: { strict: { limit: -1, extra: true } } }), catalogue)) as ConfigError;

    expect(error.code).to.equal('EMBEDLINE_CONFIG');
    expect(error.problems.some((p) => p.startsWith('pluginOptions.strict.limit:'))).to.equal(true);
    expect(error.problems.some((p) => p.startsWith('pluginOptions.strict.') && p.includes('extra'))).to.equal(true);
  });

  it('refuses a plugin whose requirements are not enabled with EMBEDLINE_PLUGIN_MISSING, naming each missing one', () => {
    const error = thrown(() => resolvePlugins(configWith({ plugins: ['needy', 'strict'], pluginOptions: { strict: { limit: 1 } } }), catalogue));

    expect(error.code).to.equal('EMBEDLINE_PLUGIN_MISSING');
    expect(error.message).to.contain('"needy" requires "helper"; add it to "plugins"');
    expect(error.context).to.deep.equal({ plugin: 'needy', missing: ['helper'] });
  });

  it('accepts a plugin once its requirements are enabled too, in any order, returning its parsed options', () => {
    const resolved = resolvePlugins(configWith({ plugins: ['needy', 'helper', 'strict'], pluginOptions: { strict: { limit: 4 } } }), catalogue);

    expect(resolved.map((r) => [r.definition.manifest.name, r.options])).to.deep.equal([['needy', {}], ['helper', {}], ['strict', { limit: 4 }]]);
  });

  it('fails before building any module', () => {
    const spy = markingPlugin('spy');

    thrown(() => buildContainer(configWith({ plugins: ['spy', 'nope'] }), { spy }));

    expect(spy.built).to.deep.equal([]);
  });
});
