import { stat } from 'node:fs/promises';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import { MODEL_RUNTIME } from '../ports/ModelRuntime.js';
import type { EmbedlineRuntime } from '../runtime.js';

const fileSizes = new Map<string, Promise<number>>();

/** A file's size, read once per process (model files do not change under a running server). */
function sizeOf(path: string): Promise<number> {
  let size = fileSizes.get(path);
  if (!size) {
    size = stat(path).then((s) => s.size, () => 0);
    fileSizes.set(path, size);
  }
  return size;
}

/**
 * An estimate of the memory one served model holds, not a measurement: every ONNX session keeps
 * its own copy of the graph's weights, so it is the size of each started device's graph file ×
 * that device's sessions (`encoder.workers`), plus the tokenizer file once. Arena growth with
 * batch shape is not in it (docs/observability.md says so).
 *
 * @example
 * await estimatedModelMemoryBytes(runtime); // ≈ 2 × 90 MB for MiniLM fp32 on two workers
 */
export async function estimatedModelMemoryBytes(runtime: EmbedlineRuntime): Promise<number> {
  const { model } = await runtime.container.getAsync(MODEL_RUNTIME);
  const config = runtime.container.get(EMBEDLINE_CONFIG);
  const started = runtime.scheduler.status().filter((d) => d.state !== 'failed' && d.state !== 'unavailable' && d.state !== 'starting');
  const graphs = await Promise.all(started.map(async (device) => (await sizeOf(model.onnxPath(device.variant))) * config.encoder.workers));
  return graphs.reduce((sum, bytes) => sum + bytes, 0) + (await sizeOf(model.tokenizerPath));
}
