/**
 * Embeds texts with one model variant through the production runtime, keeping the vectors in
 * `<cacheDir>/bench-precision/` keyed by the variant's ONNX sha256 and the texts' digest, so a
 * rerun (say, after building another variant) re-embeds only what changed.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { sha256File } from '../../core/model/fileDigest.js';
import { VARIANT_FILES, type ModelVariant } from '../../core/model/modelInfo.js';
import { textsDigest } from '../../core/precision/calibrationFile.js';
import { embedVectors, startBenchRuntime } from '../encoder/benchRuntime.js';

export async function cachedVectors(config: Readonly<EmbedlineConfig>, modelDir: string, variant: ModelVariant, texts: readonly string[]): Promise<Float32Array[]> {
  const modelSha = (await sha256File(join(modelDir, VARIANT_FILES[variant]))).slice(0, 16);
  const file = join(config.cacheDir, 'bench-precision', `${variant}-${modelSha}-${textsDigest(texts).slice(0, 16)}.f32`);
  if (existsSync(file)) return split(new Float32Array((await readFile(file)).buffer.slice(0)), texts.length);
  process.stderr.write(`embedding ${texts.length} texts with ${variant}\n`);
  const runtime = await startBenchRuntime(config, { variant });
  let vectors: Float32Array[];
  try {
    vectors = await embedVectors(runtime, texts);
  } finally {
    await runtime.close();
  }
  await mkdir(join(config.cacheDir, 'bench-precision'), { recursive: true });
  const joined = new Float32Array(vectors.reduce((n, v) => n + v.length, 0));
  let offset = 0;
  for (const v of vectors) joined.set(v, (offset += v.length) - v.length);
  await writeFile(`${file}.partial`, new Uint8Array(joined.buffer));
  await rename(`${file}.partial`, file);
  return vectors;
}

function split(all: Float32Array, count: number): Float32Array[] {
  const dims = all.length / count;
  return Array.from({ length: count }, (_, i) => all.slice(i * dims, (i + 1) * dims));
}
