import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { BATCHER } from '../../../core/ports/Batcher.js';
import { SHUTDOWN_HOOKS } from '../../../core/ports/ShutdownHook.js';
import { startTestRuntime } from '../../support/runtime.js';

describe('EmbedlineRuntime.close() and plugins\' shutdown hooks (real model)', () => {
  it('runs every hook once, after the batcher has drained (the request in flight gets its vector) and while the devices still run', async () => {
    const seen: string[] = [];
    let inFlightDone = false;
    let runtimeRef: Awaited<ReturnType<typeof startTestRuntime>> | undefined;
    const hooks = new ContainerModule(({ bind }) => {
      bind(SHUTDOWN_HOOKS).toConstantValue({
        name: 'probe',
        onShutdown: async () => {
          const batcher = await runtimeRef!.container.getAsync(BATCHER);
          seen.push(`probe: batcher holds ${batcher.queuedTexts} texts, ${batcher.inFlightBatches} batches`);
          // The devices have not been closed yet.
          seen.push(`probe: devices ${runtimeRef!.scheduler.status().map((d) => d.state).join(',')}`);
        },
      });
      bind(SHUTDOWN_HOOKS).toConstantValue({ name: 'failing', onShutdown: () => Promise.reject(new Error('expected in this test')) });
    });
    const runtime = await startTestRuntime({ encoder: { workers: 1 } }, [hooks]);
    runtimeRef = runtime;

    const inFlight = runtime.pipeline.embed(['Finishes before the hooks run.']).then((r) => ((inFlightDone = true), r));
    // close() drains what the batcher holds; a request still tokenizing is the adapter's to hold back.
    const batcher = await runtime.container.getAsync(BATCHER);
    while (!inFlightDone && batcher.queuedTexts + batcher.inFlightBatches === 0) await new Promise((r) => setTimeout(r, 1));
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      await Promise.all([runtime.close(), runtime.close()]);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }

    expect((await inFlight).vectors).to.have.length(1);
    expect(seen).to.deep.equal(['probe: batcher holds 0 texts, 0 batches', 'probe: devices ready']);
    expect(warnings).to.deep.equal(['shutdown hook "failing" failed: expected in this test']);
  });
});
