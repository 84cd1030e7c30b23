import { EmbedlineError } from '../errors.js';
import type { WorkerInit } from './workerProtocol.js';

/**
 * onnxruntime-node 1.30's messages when an accelerator EP cannot start on this machine: no WebGPU
 * adapter (no GPU, or no Vulkan loader/driver), or a provider library that is not installed.
 */
const DEVICE_MISSING = [/Failed to get a WebGPU adapter/, /No supported adapters/, /AppendExecutionProvider_\w+: Failed to load shared library/];

/**
 * The error a worker's failed session start becomes (in the worker, so it crosses to the
 * caller with its code and context): EMBEDLINE_DEVICE_UNAVAILABLE when an
 * accelerator was asked for and is not there (so a scheduler can drop that device and keep the
 * CPU ones), EMBEDLINE_INFERENCE for anything else (a bad model file, say).
 *
 * @example
 * sessionStartError({ modelPath, tuning: { ...t, executionProviders: ['webgpu'] }, dimensions: 384 }, 'Failed to get a WebGPU adapter: No supported adapters');
 */
export function sessionStartError(init: WorkerInit, message: string, cause?: unknown): EmbedlineError {
  const accelerators = init.tuning.executionProviders.filter((ep) => ep !== 'cpu');
  if (accelerators.length > 0 && DEVICE_MISSING.some((pattern) => pattern.test(message))) {
    return new EmbedlineError(
      'EMBEDLINE_DEVICE_UNAVAILABLE',
      `Execution provider ${accelerators.join(', ')} is not usable here: ${firstLine(message)}. Use executionProviders ['cpu'] on machines without that device; docs/gpu.md lists what WebGPU needs on Linux.`,
      { executionProviders: init.tuning.executionProviders, modelPath: init.modelPath },
      { cause },
    );
  }
  return new EmbedlineError('EMBEDLINE_INFERENCE', `Could not load ${init.modelPath}: ${message}`, { modelPath: init.modelPath }, { cause });
}

/** ORT prefixes its messages with a source location and ends them with a newline. */
function firstLine(message: string): string {
  const line = message.trim().split('\n')[0] ?? '';
  return line.replace(/^\/\S+:\d+ .*? was false\. /, '');
}
