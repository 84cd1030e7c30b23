import { expect } from 'chai';
import type { ShutdownHook } from '../../../core/ports/ShutdownHook.js';
import { runShutdownHooks } from '../../../core/runShutdownHooks.js';

describe('runShutdownHooks', () => {
  it('runs every hook, all at once, and reports none failed when all finish', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const hook = (name: string): ShutdownHook => ({ name, onShutdown: async () => { started.push(name); await gate; } });

    const done = runShutdownHooks([hook('a'), hook('b')], () => expect.fail('nothing to warn about'));
    await new Promise((r) => setImmediate(r));
    expect(started).to.deep.equal(['a', 'b']); // b did not wait for a
    release();

    expect(await done).to.deep.equal([]);
  });

  it('logs a hook that throws (synchronously or not) and still runs the others', async () => {
    const warnings: string[] = [];
    let ran = false;
    const hooks: ShutdownHook[] = [
      { name: 'sync-throw', onShutdown: () => { throw new Error('boom'); } },
      { name: 'rejects', onShutdown: () => Promise.reject(new Error('no bucket')) },
      { name: 'fine', onShutdown: () => void (ran = true) },
    ];

    const failed = await runShutdownHooks(hooks, (line) => warnings.push(line));

    expect(failed.sort()).to.deep.equal(['rejects', 'sync-throw']);
    expect(ran).to.equal(true);
    expect(warnings).to.have.members(['shutdown hook "sync-throw" failed: boom', 'shutdown hook "rejects" failed: no bucket']);
  });

  it('stops waiting for a hook past its time limit and says so', async () => {
    const warnings: string[] = [];
    const never: ShutdownHook = { name: 'stuck', timeoutMs: 20, onShutdown: () => new Promise(() => {}) };

    const failed = await runShutdownHooks([never], (line) => warnings.push(line));

    expect(failed).to.deep.equal(['stuck']);
    expect(warnings).to.deep.equal(['shutdown hook "stuck" did not finish within 20 ms; closing without it']);
  });
});
