import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import { EmbedlineError } from '../../../../core/errors.js';
import { ModelRegistry } from '../../../../core/models/ModelRegistry.js';
import { servedModelSpecs, type ServedModelSpec } from '../../../../core/models/servedModels.js';
import type { EmbedlineRuntime } from '../../../../core/runtime.js';

/** A stand-in runtime: the registry only hands it out and closes it. */
function fakeRuntime(id: string, closed: string[]): EmbedlineRuntime {
  return { id, close: async () => void closed.push(id) } as unknown as EmbedlineRuntime;
}

const specs = servedModelSpecs(configSchema.parse({ models: ['all-MiniLM-L6-v2', { id: 'lazy-one', name: 'bge-small-en-v1.5', lazy: true }] }));

describe('ModelRegistry', () => {
  it('starts eager models in start(), routes an absent id to the first, and names the served ones for an unknown id', async () => {
    const started: string[] = [];
    const registry = new ModelRegistry(specs, async (spec) => (started.push(spec.id), fakeRuntime(spec.id, [])));
    await registry.start();

    expect(started).to.deep.equal(['all-MiniLM-L6-v2']);
    expect(await registry.runtime()).to.equal(registry.loaded('all-MiniLM-L6-v2'));
    const error = await registry.runtime('gpt-4').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EmbedlineError).with.property('code', 'EMBEDLINE_MODEL_NOT_FOUND');
    expect((error as Error).message).to.contain('"all-MiniLM-L6-v2", "lazy-one"');
  });

  it('loads a lazy model once for concurrent first requests', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const registry = new ModelRegistry(specs, async (spec: ServedModelSpec) => {
      started.push(spec.id);
      if (spec.lazy) await gate;
      return fakeRuntime(spec.id, []);
    });
    await registry.start();
    expect(registry.status().find((s) => s.id === 'lazy-one')!.state).to.equal('lazy');

    const both = Promise.all([registry.runtime('lazy-one'), registry.runtime('lazy-one')]);
    expect(registry.status().find((s) => s.id === 'lazy-one')!.state).to.equal('loading');
    release();
    const [a, b] = await both;

    expect(a).to.equal(b);
    expect(started).to.deep.equal(['all-MiniLM-L6-v2', 'lazy-one']);
    expect(registry.status().find((s) => s.id === 'lazy-one')!.state).to.equal('loaded');
  });

  it('answers a failed lazy load with EMBEDLINE_NOT_READY naming the cause, reports it, and tries again on the next request', async () => {
    let attempts = 0;
    const registry = new ModelRegistry(specs, async (spec) => {
      if (spec.lazy && ++attempts === 1) throw new EmbedlineError('EMBEDLINE_MODEL_FETCH', 'no source could provide bge-small-en-v1.5');
      return fakeRuntime(spec.id, []);
    });
    await registry.start();

    const error = await registry.runtime('lazy-one').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EmbedlineError).with.property('code', 'EMBEDLINE_NOT_READY');
    expect((error as Error).message).to.contain('EMBEDLINE_MODEL_FETCH').and.contain('lazy-one');
    expect(registry.status().find((s) => s.id === 'lazy-one')).to.deep.include({ state: 'failed', error: { code: 'EMBEDLINE_MODEL_FETCH', message: (error as Error).message } });
    expect(registry.loaded('all-MiniLM-L6-v2')).to.not.equal(undefined);

    await registry.runtime('lazy-one');
    expect(attempts).to.equal(2);
    expect(registry.status().find((s) => s.id === 'lazy-one')!.state).to.equal('loaded');
  });

  it('says an eager model is still loading (503) rather than loading it again, and fails start if it cannot load, closing those started', async () => {
    const closed: string[] = [];
    const two = servedModelSpecs(configSchema.parse({ models: ['all-MiniLM-L6-v2', 'bge-small-en-v1.5'] }));
    const registry = new ModelRegistry(two, async (spec) => {
      if (spec.id === 'bge-small-en-v1.5') throw new EmbedlineError('EMBEDLINE_MODEL_INTEGRITY', 'onnx/model.onnx does not match');
      return fakeRuntime(spec.id, closed);
    });
    expect(await registry.runtime().catch((e: EmbedlineError) => e.code)).to.equal('EMBEDLINE_NOT_READY');

    const error = await registry.start().catch((e: unknown) => e);

    expect(error).to.be.instanceOf(EmbedlineError).with.property('code', 'EMBEDLINE_MODEL_INTEGRITY');
    expect(closed).to.deep.equal(['all-MiniLM-L6-v2']);
  });

  it('closes every loaded model once, however often close() is called', async () => {
    const closed: string[] = [];
    const registry = new ModelRegistry(specs, async (spec) => fakeRuntime(spec.id, closed));
    await registry.start();
    await registry.runtime('lazy-one');

    await Promise.all([registry.close(), registry.close()]);

    expect(closed.sort()).to.deep.equal(['all-MiniLM-L6-v2', 'lazy-one']);
  });
});
