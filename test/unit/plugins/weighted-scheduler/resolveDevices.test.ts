import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import { MODEL_VARIANTS } from '../../../../core/model/variants.js';
import { weightedSchedulerConfigSchema } from '../../../../plugins/weighted-scheduler/config.js';
import { countCudaDevices } from '../../../../plugins/weighted-scheduler/countCudaDevices.js';
import { resolveDevices } from '../../../../plugins/weighted-scheduler/resolveDevices.js';

const embedline = configSchema.parse({ model: { variant: 'int8' }, encoder: { workers: 2, intraOpThreads: 3 } });

describe('resolveDevices', () => {
  it('splits the CPU into encoder.workers sessions of encoder.intraOpThreads threads when devices is auto', () => {
    const devices = resolveDevices(weightedSchedulerConfigSchema.parse({}), embedline, { webgpu: false, cuda: false });

    expect(devices).to.deep.equal([
      { id: 'cpu-0', provider: 'cpu', workers: 1, intraOpThreads: 3, variant: 'int8', detected: false },
      { id: 'cpu-1', provider: 'cpu', workers: 1, intraOpThreads: 3, variant: 'int8', detected: false },
    ]);
  });

  it('adds a WebGPU and a CUDA session to auto when the install has those providers', () => {
    const devices = resolveDevices(weightedSchedulerConfigSchema.parse({}), embedline, { webgpu: true, cuda: true });

    expect(devices.map((d) => `${d.id}:${d.provider}:${d.detected}`)).to.deep.equal(['cpu-0:cpu:false', 'cpu-1:cpu:false', 'webgpu-0:webgpu:true', 'cuda-0:cuda:true']);
  });

  it('takes a configured list as given (any variant, a chosen GPU), filling in the model variant and one thread', () => {
    const config = weightedSchedulerConfigSchema.parse({ devices: [{ id: 'big', provider: 'cpu', intraOpThreads: 2 }, { id: 'gpu', provider: 'cuda', variant: 'gpu-fp16', deviceId: 1 }] });

    const devices = resolveDevices(config, embedline, { webgpu: true, cuda: true });

    expect(devices).to.deep.equal([
      { id: 'big', provider: 'cpu', workers: 1, intraOpThreads: 2, variant: 'int8', detected: false },
      { id: 'gpu', provider: 'cuda', workers: 1, intraOpThreads: 1, variant: 'gpu-fp16', deviceId: 1, detected: false },
    ]);
  });
});

describe('weightedSchedulerConfigSchema', () => {
  it('defaults to auto devices, the weighted strategy and a one-second first backoff', () => {
    const config = weightedSchedulerConfigSchema.parse({});

    expect(config).to.deep.include({ devices: 'auto', strategy: 'weighted', maxAttemptsPerBatch: 3 });
    expect(config.quarantine).to.deep.equal({ initialBackoffMs: 1000, maxBackoffMs: 60_000, afterConsecutiveErrors: 3 });
  });

  it('rejects two devices with the same id, naming the second', () => {
    const result = weightedSchedulerConfigSchema.safeParse({ devices: [{ id: 'a', provider: 'cpu' }, { id: 'a', provider: 'webgpu' }] });

    expect(result.success).to.equal(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).to.deep.equal(['devices.1.id']);
  });

  it('accepts every model variant the model store can hold, the gpu-* ones included', () => {
    const devices = MODEL_VARIANTS.map((variant) => ({ id: `d-${variant}`, provider: 'cpu', variant }));

    const result = weightedSchedulerConfigSchema.safeParse({ devices });

    expect(result.success).to.equal(true);
  });

  it('rejects a variant that is not in the model variant list, naming the field', () => {
    const result = weightedSchedulerConfigSchema.safeParse({ devices: [{ id: 'a', provider: 'cpu' }, { id: 'b', provider: 'cpu', variant: 'fp8' }] });

    expect(result.error?.issues.map((i) => i.path.join('.'))).to.deep.equal(['devices.1.variant']);
    expect(result.error?.issues[0]?.message).to.contain('gpu-fp16');
  });

  it("rejects devices that are neither 'auto' nor a list, saying what it takes", () => {
    const result = weightedSchedulerConfigSchema.safeParse({ devices: 'gpu' });

    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).to.deep.equal([['devices', "use 'auto' or a list of devices"]]);
  });

  it('rejects a device id that would not make a clean metric label', () => {
    expect(weightedSchedulerConfigSchema.safeParse({ devices: [{ id: 'gpu 0', provider: 'cuda' }] }).success).to.equal(false);
  });

  it('rejects a first backoff longer than the cap', () => {
    const result = weightedSchedulerConfigSchema.safeParse({ quarantine: { initialBackoffMs: 10_000, maxBackoffMs: 1000 } });

    expect(result.error?.issues.map((i) => i.path.join('.'))).to.deep.equal(['quarantine.initialBackoffMs']);
  });
});

describe('resolveDevices on a multi-GPU host', () => {
  it('adds one CUDA device per GPU to auto, each with its deviceId', () => {
    const devices = resolveDevices(weightedSchedulerConfigSchema.parse({}), embedline, { webgpu: false, cuda: true, cudaDevices: 4 });

    expect(devices.filter((d) => d.provider === 'cuda').map((d) => [d.id, d.deviceId, d.detected])).to.deep.equal([
      ['cuda-0', 0, true],
      ['cuda-1', 1, true],
      ['cuda-2', 2, true],
      ['cuda-3', 3, true],
    ]);
  });

  it('adds no CUDA device when the install lacks the CUDA provider, whatever the GPU count', () => {
    const devices = resolveDevices(weightedSchedulerConfigSchema.parse({}), embedline, { webgpu: false, cuda: false, cudaDevices: 4 });

    expect(devices.map((d) => d.id)).to.deep.equal(['cpu-0', 'cpu-1']);
  });
});

describe('countCudaDevices', () => {
  const twoGpus = (): string => 'GPU 0: NVIDIA A10G (UUID: GPU-1a2b)\nGPU 1: NVIDIA A10G (UUID: GPU-3c4d)\n';

  it('counts the GPUs nvidia-smi lists when CUDA_VISIBLE_DEVICES is unset', () => {
    expect(countCudaDevices(undefined, twoGpus)).to.equal(2);
  });

  it('counts the CUDA_VISIBLE_DEVICES entries when it is set, as CUDA renumbers them from 0', () => {
    expect(countCudaDevices('3,1,2', twoGpus)).to.equal(3);
  });

  it('stops at the first CUDA_VISIBLE_DEVICES entry that is not a device, as CUDA does', () => {
    expect(countCudaDevices('0,-1,1', twoGpus)).to.equal(1);
  });

  it('counts no GPU for an empty CUDA_VISIBLE_DEVICES, which hides them all', () => {
    expect(countCudaDevices('', twoGpus)).to.equal(0);
  });

  it('accepts GPU UUIDs in CUDA_VISIBLE_DEVICES', () => {
    expect(countCudaDevices('GPU-1a2b,GPU-3c4d', () => undefined)).to.equal(2);
  });

  it('assumes one GPU when nvidia-smi is absent (the device is probed and dropped if it is not there)', () => {
    expect(countCudaDevices(undefined, () => undefined)).to.equal(1);
  });
});

describe('resolveDevices with batch limits', () => {
  it("carries a configured device's maxBatchTokens", () => {
    const config = weightedSchedulerConfigSchema.parse({ devices: [{ id: 'small-gpu', provider: 'cuda', deviceId: 0, maxBatchTokens: 16_384 }] });

    expect(resolveDevices(config, embedline, { webgpu: false, cuda: true })[0]).to.include({ id: 'small-gpu', maxBatchTokens: 16_384 });
  });
});
