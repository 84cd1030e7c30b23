import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { InferenceDeviceSpec } from '../../core/ports/InferenceDevice.js';
import type { DeviceMemory } from '../../core/ports/MemoryBudget.js';
import type { MemoryAwareBatcherConfig } from './config.js';

/** Total memory of GPU `deviceId` in bytes; undefined when it cannot be read here. */
export type GpuMemoryQuery = (deviceId: number) => Promise<number | undefined>;

const run = promisify(execFile);

/** `nvidia-smi --query-gpu=memory.total` for one GPU (MiB), as bytes; undefined without nvidia-smi or a GPU. */
export const nvidiaSmiMemory: GpuMemoryQuery = async (deviceId) => {
  try {
    const { stdout } = await run('nvidia-smi', ['--query-gpu=memory.total', '--format=csv,noheader,nounits', '-i', String(deviceId)], { timeout: 10_000 });
    const mib = Number(stdout.trim().split('\n')[0]);
    return Number.isFinite(mib) && mib > 0 ? mib * 1024 * 1024 : undefined;
  } catch {
    return undefined;
  }
};

/**
 * A device's activation limit, first match wins:
 *
 * 1. `devices.<id>.budgetBytes`, set for that device;
 * 2. CUDA: the card's memory from `nvidia-smi` × `gpuUsableShare` (the rest is the weights, the
 *    CUDA context and ORT's arena slack). Embedline's session options set no `gpu_mem_limit`, so
 *    there is none to read; a card nvidia-smi cannot see falls through;
 * 3. `budgetBytes`: CPU devices, and WebGPU, whose adapter limits Node cannot query (there is no
 *    `navigator.gpu` in Node 20, and ONNX Runtime's WebGPU provider does not report them).
 *
 * @example
 * await deviceLimit({ id: 'cuda-0', provider: 'cuda', deviceId: 0, ... }, config, nvidiaSmiMemory);
 * // { limitBytes: 19_327_352_832, limitSource: 'nvidia-smi memory.total x 0.8' } on a 24 GiB card
 */
export async function deviceLimit(spec: InferenceDeviceSpec, config: MemoryAwareBatcherConfig, gpuMemory: GpuMemoryQuery): Promise<Pick<DeviceMemory, 'limitBytes' | 'limitSource'>> {
  const own = config.devices[spec.id]?.budgetBytes;
  if (own !== undefined) return { limitBytes: own, limitSource: `configured devices.${spec.id}.budgetBytes` };
  if (spec.provider === 'cuda') {
    const total = await gpuMemory(spec.deviceId ?? 0);
    if (total !== undefined) return { limitBytes: Math.floor(total * config.gpuUsableShare), limitSource: `nvidia-smi memory.total x ${config.gpuUsableShare}` };
  }
  return { limitBytes: config.budgetBytes, limitSource: 'configured budgetBytes' };
}
