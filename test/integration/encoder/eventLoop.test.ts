import { expect } from 'chai';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RunningEncoder } from '../../../core/encoder/createEncoder.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { startRealEncoder } from '../../support/model.js';

describe('inference off the event loop', () => {
  let running: RunningEncoder;

  before(async () => {
    running = await startRealEncoder();
    await running.encoder.encode(VARIED_SENTENCES.slice(0, 8));
  });

  after(async () => running?.close());

  it('keeps event-loop delay p99 under 20 ms while every worker is busy', async () => {
    const texts = Array.from({ length: 3 }, () => VARIED_SENTENCES).flat();
    const histogram = monitorEventLoopDelay({ resolution: 5 });

    histogram.enable();
    const saturated = Promise.all([running.encoder.encode(texts), running.encoder.encode(texts)]);
    let busySamples = 0;
    const sampler = setInterval(() => {
      if (running.pool.busyWorkers === running.pool.size) busySamples++;
    }, 10);
    await saturated;
    clearInterval(sampler);
    histogram.disable();

    const p99Ms = histogram.percentile(99) / 1e6;
    console.log(`      event-loop delay p99 ${p99Ms.toFixed(2)} ms, max ${(histogram.max / 1e6).toFixed(2)} ms, ${busySamples} samples with all workers busy`);
    expect(busySamples).to.be.greaterThan(10);
    expect(p99Ms).to.be.below(20);
  });
});
