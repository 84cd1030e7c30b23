import { expect } from 'chai';
import { existsSync } from 'node:fs';
import type { ContainerModule } from 'inversify';
import { observerModule } from '../../../adapters/prometheus/observerModule.js';
import type { EmbedlineConfigInput } from '../../../core/config/schema.js';
import { EmbedlineError } from '../../../core/errors.js';
import { pluginRegistries, type EmbedlineRuntime } from '../../../core/runtime.js';
import { decorateDevices } from '../../../plugins/weighted-scheduler/decorateDevices.js';
import { acceleratorSupport } from '../../../plugins/weighted-scheduler/resolveDevices.js';
import { CrashingDevice } from '../../doubles/CrashingDevice.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { maxAbsDiff, realModel } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';

const TWO_CPU_SESSIONS = [
  { id: 'cpu-a', provider: 'cpu', intraOpThreads: 1 },
  { id: 'cpu-b', provider: 'cpu', intraOpThreads: 1 },
] as const;

function schedulerConfig(options: Record<string, unknown>, extra: Partial<EmbedlineConfigInput> = {}): Partial<EmbedlineConfigInput> {
  return { plugins: ['weighted-scheduler'], encoder: { workers: 2 }, ...extra, batching: { requestTimeoutMs: 110_000, ...extra.batching }, pluginOptions: { 'weighted-scheduler': options, ...extra.pluginOptions } };
}

async function withRuntime<T>(config: Partial<EmbedlineConfigInput>, modules: readonly ContainerModule[], body: (runtime: EmbedlineRuntime) => Promise<T>): Promise<T> {
  const runtime = await startTestRuntime(config, modules);
  try {
    return await body(runtime);
  } finally {
    await runtime.close();
  }
}

async function metricsText(runtime: EmbedlineRuntime): Promise<string> {
  return (await Promise.all(pluginRegistries(runtime).map((r) => r.metrics()))).join('\n');
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('weighted-scheduler plugin on the real model', () => {
  const texts = [...VARIED_SENTENCES];
  let reference: Map<string, Float32Array>;

  before(async () => {
    reference = await withRuntime({}, [], async (runtime) => {
      const { vectors } = await runtime.pipeline.embed(texts);
      return new Map(texts.map((text, i) => [text, vectors[i]!.values]));
    });
  });

  /** Many concurrent requests over the varied sentences; fails on any wrong or missing vector. */
  async function embedAllAndCheck(runtime: EmbedlineRuntime, requests = 150): Promise<void> {
    const batches = Array.from({ length: requests }, (_, r) => Array.from({ length: 1 + (r % 3) }, (_, k) => texts[(r * 7 + k * 13) % texts.length]!));
    const results = await Promise.all(batches.map((batch) => runtime.pipeline.embed(batch, { timeoutMs: 600_000 })));
    results.forEach((result, r) => result.vectors.forEach((v, k) => expect(maxAbsDiff(v.values, reference.get(batches[r]![k]!)!), `request ${r} text ${k}`).to.be.at.most(1e-5)));
  }

  it('gives every request the same vectors as the default scheduler, spread over two CPU sessions', async () => {
    const devices = new Map<string, number>();
    const observe = observerModule({ onBatch: (e) => devices.set(e.device, (devices.get(e.device) ?? 0) + 1) });

    await withRuntime(schedulerConfig({ devices: TWO_CPU_SESSIONS }), [observe], (runtime) => embedAllAndCheck(runtime));

    expect([...devices.keys()].sort()).to.deep.equal(['cpu-a', 'cpu-b']);
  });

  // How work is shared between devices of different speeds depends on measured service times,
  // so it is decided in unit tests on given speeds (test/unit/plugins/weighted-scheduler/
  // strategies.test.ts: proportional and earliest-completion splits) and measured on the real
  // model with a slowed device in bench/plugins/weighted-scheduler (docs/BENCHMARKS.md), not
  // asserted here against sleeping doubles on a busy machine.

  it('completes every request with correct vectors when a device thread is killed mid-batch, and brings the device back', async () => {
    let crashing: CrashingDevice | undefined;
    // Run 5 is its third real batch: each start runs two warm-up batches first.
    const killA = decorateDevices((d) => (d.spec.id === 'cpu-a' ? (crashing = new CrashingDevice(d, 5)) : d));
    const config = schedulerConfig({ devices: TWO_CPU_SESSIONS, quarantine: { initialBackoffMs: 200 } }, { plugins: ['weighted-scheduler', 'memory-pool'], batching: { maxBatchSize: 16 } });

    await withRuntime(config, [killA], async (runtime) => {
      await embedAllAndCheck(runtime, 200);

      expect(crashing!.crashes).to.equal(1);
      expect(await metricsText(runtime)).to.match(/^embedline_device_errors_total\{device="cpu-a"\} 1$/m);
      await until(() => runtime.scheduler.status().find((d) => d.id === 'cpu-a')?.state === 'ready', 10_000);
      expect(runtime.scheduler.status().find((d) => d.id === 'cpu-a')?.state).to.equal('ready');
      expect(await metricsText(runtime)).to.match(/^embedline_memory_pool_bytes_in_use 0$/m);
    });
  });

  it('runs the batch of its only device again once that device is back from quarantine', async () => {
    let crashing: CrashingDevice | undefined;
    const killOnly = decorateDevices((d) => (crashing = new CrashingDevice(d, 3)));
    const config = schedulerConfig({ devices: [TWO_CPU_SESSIONS[0]], quarantine: { initialBackoffMs: 100 } }, { batching: { maxBatchSize: 8 } });

    await withRuntime(config, [killOnly], (runtime) => embedAllAndCheck(runtime, 60));

    expect(crashing!.crashes).to.equal(1);
  });

  it('probes the accelerators under devices: auto and serves on the sessions that started', async function () {
    if (!acceleratorSupport().webgpu) this.skip();

    await withRuntime(schedulerConfig({ devices: 'auto' }), [], async (runtime) => {
      await embedAllAndCheck(runtime, 50);

      const status = runtime.scheduler.status();
      const states = new Map(status.map((d) => [d.id, d.state]));
      expect(states.get('cpu-0'), JSON.stringify(status)).to.be.oneOf(['ready', 'busy']);
      expect(states.get('cpu-1'), JSON.stringify(status)).to.be.oneOf(['ready', 'busy']);
      // Here (no GPU, no Vulkan) WebGPU has no adapter; where it has one, it serves too.
      expect(states.get('webgpu-0')).to.be.oneOf(['unavailable', 'ready', 'busy']);
    });
  });

  it('quarantines a configured device that cannot start, serves on the others, and shows it in its metrics', async function () {
    if (acceleratorSupport().cuda) this.skip();
    const devices = [{ id: 'gpu', provider: 'cuda' }, TWO_CPU_SESSIONS[0]];

    await withRuntime(schedulerConfig({ devices, quarantine: { initialBackoffMs: 60_000 } }), [], async (runtime) => {
      await embedAllAndCheck(runtime, 50);

      expect(runtime.scheduler.status().find((d) => d.id === 'gpu')?.state).to.equal('quarantined');
      expect(await metricsText(runtime)).to.match(/^embedline_device_state\{device="gpu",state="quarantined"\} 1$/m);
    });
  });

  it('fails to start with EMBEDLINE_INFERENCE naming the devices when none of them can run', async function () {
    if (acceleratorSupport().cuda) this.skip();

    const error = await startTestRuntime(schedulerConfig({ devices: [{ id: 'gpu', provider: 'cuda' }] })).catch((e: unknown) => e);

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_INFERENCE');
    expect((error as EmbedlineError).message).to.contain('gpu:');
  });

  it('fails to start with EMBEDLINE_CONFIG naming the device, the variant and the fix when a device asks for a variant the model directory lacks', async function () {
    // fp16 is the variant no source pulls and no command builds, so the shared model directory lacks it.
    if (existsSync((await realModel()).onnxPath('fp16'))) this.skip();
    const devices = [TWO_CPU_SESSIONS[0], { id: 'half', provider: 'cpu', variant: 'fp16' }];

    const error = (await startTestRuntime(schedulerConfig({ devices })).catch((e: unknown) => e)) as EmbedlineError;

    expect(error.code).to.equal('EMBEDLINE_CONFIG');
    expect(error.message).to.contain('Device half').and.to.contain('onnx/model_fp16.onnx').and.to.contain('copy');
    expect(error.context).to.deep.include({ device: 'half', variant: 'fp16' });
  });

  it('rejects a batch for a model variant no device serves, saying how to add one', async () => {
    await withRuntime(schedulerConfig({ devices: [TWO_CPU_SESSIONS[0]] }), [], async (runtime) => {
      const error = await runtime.scheduler.run({ id: 1, variant: 'int8', rows: [Int32Array.of(101, 102)], priority: 'normal' }).catch((e: unknown) => e);

      expect((error as EmbedlineError).code).to.equal('EMBEDLINE_INFERENCE');
      expect((error as EmbedlineError).message).to.contain("variant: 'int8'");
    });
  });

  it('serves the six per-device metrics under their dashboard names', async () => {
    await withRuntime(schedulerConfig({ devices: TWO_CPU_SESSIONS }), [], async (runtime) => {
      await runtime.pipeline.embed(texts.slice(0, 20));

      const text = await metricsText(runtime);

      for (const name of ['batches_total', 'tokens_per_second', 'weight', 'queued_tokens', 'errors_total']) expect(text).to.match(new RegExp(`^embedline_device_${name}\\{device="cpu-a"\\} `, 'm'));
      expect(text).to.match(/^embedline_device_state\{device="cpu-a",state="ready"\} 1$/m);
      expect(text).to.match(/^embedline_device_weight\{device="cpu-a"\} 0\.\d+$/m);
    });
  });
});
