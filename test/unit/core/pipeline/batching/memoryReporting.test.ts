import { expect } from 'chai';
import { InMemoryBudget } from '../../../../../core/pipeline/batching/InMemoryBudget.js';
import { MemoryReportingDevice } from '../../../../../core/pipeline/batching/MemoryReportingDevice.js';
import type { InferenceDeviceSpec } from '../../../../../core/ports/InferenceDevice.js';
import { memoryAwareBatcherConfigSchema } from '../../../../../plugins/memory-aware-batcher/config.js';
import { deviceLimit } from '../../../../../plugins/memory-aware-batcher/deviceLimits.js';
import { deviceMemoryModel } from '../../../../../plugins/memory-aware-batcher/index.js';
import { estimateBatchBytes } from '../../../../../plugins/memory-aware-batcher/memoryEstimate.js';
import { ManualClock } from '../../../../doubles/ManualClock.js';
import { SimulatedDevice } from '../../../../doubles/SimulatedDevice.js';

const MINILM = { hiddenSize: 384, layers: 6, heads: 12, intermediateSize: 1536 };
const GiB = 1024 ** 3;
const spec = (over: Partial<InferenceDeviceSpec>): InferenceDeviceSpec => ({ id: 'cpu-fp32', provider: 'cpu', workers: 2, intraOpThreads: 1, variant: 'fp32', ...over });
const rows = (count: number, length: number): Int32Array[] => Array.from({ length: count }, () => new Int32Array(length));

describe('devices reporting into the memory port', () => {
  const config = memoryAwareBatcherConfigSchema.parse({ budgetBytes: GiB, devices: { 'cuda-1': { budgetBytes: 3 * GiB } } });
  const noGpu = (): Promise<undefined> => Promise.resolve(undefined);

  it('reports its limit on start and the estimated peak of the batches its sessions run, not those waiting', async () => {
    const clock = new ManualClock();
    const memory = new InMemoryBudget();
    const device = new MemoryReportingDevice(new SimulatedDevice(spec({}), clock, () => 10_000), memory, deviceMemoryModel(config, MINILM, noGpu));
    await device.start();

    const first = device.run(rows(16, 128));
    const second = device.run(rows(4, 256));
    const waiting = device.run(rows(32, 256));
    const during = memory.devices().get('cpu-fp32')!.inFlightBytes;
    await clock.advance(1000);
    await Promise.all([first, second, waiting]);

    expect(memory.devices().get('cpu-fp32')).to.include({ limitBytes: GiB, limitSource: 'configured budgetBytes', sessions: 2, inFlightBytes: 0 });
    expect(during).to.equal(estimateBatchBytes(MINILM, 16, 128, 4) + estimateBatchBytes(MINILM, 4, 256, 4));
    // The 32-row batch counted once a session was free for it (the first batch to finish freed one).
    expect(memory.devices().get('cpu-fp32')!.peakInFlightBytes).to.be.above(estimateBatchBytes(MINILM, 32, 256, 4));
    expect(memory.inUse()).to.equal(0);
  });

  it('counts a failed batch out again', async () => {
    const memory = new InMemoryBudget();
    const failing = { spec: spec({}), start: () => Promise.resolve(), run: () => Promise.reject(new Error('boom')), terminate: () => Promise.resolve(), stop: () => Promise.resolve() };
    const device = new MemoryReportingDevice(failing, memory, deviceMemoryModel(config, MINILM, noGpu));
    await device.start();

    const outcome = await device.run(rows(8, 64)).catch((error: Error) => error.message);

    expect(outcome).to.equal('boom');
    expect(memory.devices().get('cpu-fp32')!.inFlightBytes).to.equal(0);
  });

  it('takes a CUDA card\'s memory from nvidia-smi times gpuUsableShare, a configured device limit first, else budgetBytes', async () => {
    const card = (id: number): Promise<number | undefined> => Promise.resolve(id === 0 ? 24 * GiB : undefined);

    expect(await deviceLimit(spec({ id: 'cuda-0', provider: 'cuda', deviceId: 0 }), config, card)).to.deep.equal({ limitBytes: Math.floor(24 * GiB * 0.8), limitSource: 'nvidia-smi memory.total x 0.8' });
    expect(await deviceLimit(spec({ id: 'cuda-1', provider: 'cuda', deviceId: 0 }), config, card)).to.deep.equal({ limitBytes: 3 * GiB, limitSource: 'configured devices.cuda-1.budgetBytes' });
    expect(await deviceLimit(spec({ id: 'cuda-2', provider: 'cuda', deviceId: 2 }), config, card)).to.deep.equal({ limitBytes: GiB, limitSource: 'configured budgetBytes' });
    expect(await deviceLimit(spec({ id: 'webgpu-0', provider: 'webgpu' }), config, card)).to.deep.equal({ limitBytes: GiB, limitSource: 'configured budgetBytes' });
  });
});
