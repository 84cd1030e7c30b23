import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { listSupportedBackends } from 'onnxruntime-node';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import type { WeightedSchedulerConfig } from './config.js';
import type { ResolvedDevice } from './ResolvedDevice.js';

/** Which accelerator providers this onnxruntime-node install could load, before trying them. */
export interface AcceleratorSupport {
  readonly webgpu: boolean;
  readonly cuda: boolean;
}

/**
 * The devices to start. Configured lists are taken as given (variant defaulting to the
 * model's); `auto` splits the CPU into `encoder.workers` sessions of `encoder.intraOpThreads`
 * threads, and adds one WebGPU and one CUDA session when the install has those providers —
 * marked `detected`, so the scheduler drops them quietly if they cannot start here. The CPU
 * sessions are not: the CPU is always there, so one that fails to start is a fault, quarantined
 * and retried like a configured device.
 *
 * @example
 * resolveDevices({ ...config, devices: 'auto' }, embedline, { webgpu: true, cuda: false });
 * // cpu-0, cpu-1, webgpu-0
 */
export function resolveDevices(config: WeightedSchedulerConfig, embedline: Readonly<EmbedlineConfig>, support: AcceleratorSupport = acceleratorSupport()): ResolvedDevice[] {
  const variant = embedline.model.variant;
  if (config.devices !== 'auto') {
    return config.devices.map((d) => ({ id: d.id, provider: d.provider, workers: 1, intraOpThreads: d.intraOpThreads, variant: d.variant ?? variant, ...(d.deviceId === undefined ? {} : { deviceId: d.deviceId }), detected: false }));
  }
  const cpus = Array.from({ length: embedline.encoder.workers }, (_, i): ResolvedDevice => ({ id: `cpu-${i}`, provider: 'cpu', workers: 1, intraOpThreads: embedline.encoder.intraOpThreads, variant, detected: false }));
  // Accelerator sessions need one CPU thread for the operators their provider lacks.
  const accelerators: ResolvedDevice[] = [];
  if (support.webgpu) accelerators.push({ id: 'webgpu-0', provider: 'webgpu', workers: 1, intraOpThreads: 1, variant, detected: true });
  if (support.cuda) accelerators.push({ id: 'cuda-0', provider: 'cuda', workers: 1, intraOpThreads: 1, variant, detected: true });
  return [...cpus, ...accelerators];
}

/**
 * WebGPU ships inside onnxruntime-node for linux-x64 (an adapter is still needed, which only
 * starting a session can tell). CUDA needs its provider library, which the package installs
 * only on request (`--onnxruntime-node-install=cuda12`); without it, trying would only log an
 * ONNX Runtime error, so it is not tried.
 */
export function acceleratorSupport(): AcceleratorSupport {
  const bundled = new Set(listSupportedBackends().filter((b) => b.bundled).map((b) => b.name));
  return { webgpu: bundled.has('webgpu'), cuda: bundled.has('cuda') || cudaLibraryInstalled() };
}

function cudaLibraryInstalled(): boolean {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(dirname(require.resolve('onnxruntime-node')));
  return existsSync(join(packageDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
}
