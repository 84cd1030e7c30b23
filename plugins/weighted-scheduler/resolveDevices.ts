import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { listSupportedBackends } from 'onnxruntime-node';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import type { WeightedSchedulerConfig } from './config.js';
import { countCudaDevices } from './countCudaDevices.js';
import type { ResolvedDevice } from './ResolvedDevice.js';

/** Which accelerator providers this onnxruntime-node install could load, before trying them, and on how many GPUs. */
export interface AcceleratorSupport {
  readonly webgpu: boolean;
  readonly cuda: boolean;
  /** GPUs a CUDA session can address (`deviceId` 0..n-1); only read when `cuda` is true. 1 when absent. */
  readonly cudaDevices?: number | undefined;
}

/**
 * The devices to start. Configured lists are taken as given (variant defaulting to the
 * model's); `auto` splits the CPU into `encoder.workers` sessions of `encoder.intraOpThreads`
 * threads, and adds one WebGPU session and one CUDA session per GPU (`cuda-<deviceId>`) when
 * the install has those providers — marked `detected`, so the scheduler drops them quietly if they cannot start here. The CPU
 * sessions are not: the CPU is always there, so one that fails to start is a fault, quarantined
 * and retried like a configured device.
 *
 * @example
 * resolveDevices({ ...config, devices: 'auto' }, embedline, { webgpu: true, cuda: true, cudaDevices: 2 });
 * // cpu-0, cpu-1, webgpu-0, cuda-0 (deviceId 0), cuda-1 (deviceId 1)
 */
export function resolveDevices(config: WeightedSchedulerConfig, embedline: Readonly<EmbedlineConfig>, support: AcceleratorSupport = acceleratorSupport()): ResolvedDevice[] {
  const variant = embedline.model.variant;
  if (config.devices !== 'auto') {
    return config.devices.map((d) => ({ id: d.id, provider: d.provider, workers: 1, intraOpThreads: d.intraOpThreads, variant: d.variant ?? variant, ...(d.deviceId === undefined ? {} : { deviceId: d.deviceId }), ...(d.maxBatchTokens === undefined ? {} : { maxBatchTokens: d.maxBatchTokens }), detected: false }));
  }
  const cpus = Array.from({ length: embedline.encoder.workers }, (_, i): ResolvedDevice => ({ id: `cpu-${i}`, provider: 'cpu', workers: 1, intraOpThreads: embedline.encoder.intraOpThreads, variant, detected: false }));
  // Accelerator sessions need one CPU thread for the operators their provider lacks.
  // WebGPU adapters cannot be listed without starting a session, so one is tried.
  const webgpu: ResolvedDevice[] = support.webgpu ? [{ id: 'webgpu-0', provider: 'webgpu', workers: 1, intraOpThreads: 1, variant, detected: true }] : [];
  const gpus = support.cuda ? (support.cudaDevices ?? 1) : 0;
  const cuda = Array.from({ length: gpus }, (_, deviceId): ResolvedDevice => ({ id: `cuda-${deviceId}`, provider: 'cuda', workers: 1, intraOpThreads: 1, variant, deviceId, detected: true }));
  return [...cpus, ...webgpu, ...cuda];
}

/**
 * WebGPU ships inside onnxruntime-node for linux-x64 (an adapter is still needed, which only
 * starting a session can tell). CUDA needs its provider library, which the package installs
 * only on request (`--onnxruntime-node-install=cuda12`); without it, trying would only log an
 * ONNX Runtime error, so it is not tried. With it, every GPU the CUDA runtime would see is
 * counted (countCudaDevices). `CUDA_VISIBLE_DEVICES` is the CUDA runtime's own variable, not
 * Embedline configuration, so it is read here, where ONNX Runtime reads it too.
 */
export function acceleratorSupport(cudaVisibleDevices: string | undefined = process.env['CUDA_VISIBLE_DEVICES']): AcceleratorSupport {
  const bundled = new Set(listSupportedBackends().filter((b) => b.bundled).map((b) => b.name));
  const cuda = bundled.has('cuda') || cudaLibraryInstalled();
  return { webgpu: bundled.has('webgpu'), cuda, cudaDevices: cuda ? countCudaDevices(cudaVisibleDevices) : 0 };
}

function cudaLibraryInstalled(): boolean {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(dirname(require.resolve('onnxruntime-node')));
  return existsSync(join(packageDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
}
