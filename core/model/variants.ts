import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../errors.js';
import { MODEL_FILES } from './catalogue.js';

/**
 * Every ONNX variant a model directory may hold: the one list the config schema, the model
 * info and the weighted scheduler's device config derive from. int8 is the dynamically
 * quantized published file; int8-static is built locally with calibrated static QDQ
 * quantization (docs/precision.md); the gpu-* variants are fused graphs built by
 * `embedline model optimize` (docs/gpu.md).
 *
 * @example
 * z.enum(MODEL_VARIANTS).default('fp32');
 */
export const MODEL_VARIANTS = ['fp32', 'int8', 'fp16', 'gpu-fp16', 'gpu-fp32', 'int8-static'] as const;
export type ModelVariant = (typeof MODEL_VARIANTS)[number];

/** Where each variant lives inside the model directory. */
export const VARIANT_FILES: Readonly<Record<ModelVariant, string>> = {
  fp32: MODEL_FILES.fp32,
  int8: MODEL_FILES.int8,
  fp16: MODEL_FILES.fp16,
  'gpu-fp16': MODEL_FILES.gpuFp16,
  'gpu-fp32': MODEL_FILES.gpuFp32,
  'int8-static': MODEL_FILES.int8Static,
};

/** How a missing variant's file gets into the model directory: the fix the start-up error names. */
const HOW_TO_GET: Readonly<Record<ModelVariant, string>> = {
  fp32: 'run `embedline model pull`',
  int8: 'run `embedline model pull`',
  // No registry artifact carries it; the hub publishes it beside model.onnx.
  fp16: `copy the hub's ${MODEL_FILES.fp16} into the model directory, or choose fp32 or int8`,
  'gpu-fp16': 'run `embedline model optimize --variant gpu-fp16`',
  'gpu-fp32': 'run `embedline model optimize --variant gpu-fp32`',
  'int8-static': 'run `npx tsx bench/precision/buildStaticInt8.ts` (docs/precision.md)',
};

/**
 * The variant's file in `dir`, checked to exist: a variant the store does not hold is a
 * configuration problem (EMBEDLINE_CONFIG naming the variant, the file and the fix), found when
 * the device starts rather than as an ONNX Runtime load error.
 *
 * @example
 * const modelPath = await requireVariantFile(model.dir, 'gpu-fp16');
 */
export async function requireVariantFile(dir: string, variant: ModelVariant): Promise<string> {
  const path = join(dir, VARIANT_FILES[variant]);
  const present = await access(path).then(() => true, () => false);
  if (!present) {
    throw new EmbedlineError(
      'EMBEDLINE_CONFIG',
      `Model variant ${variant} needs ${VARIANT_FILES[variant]}, which is not in ${dir}: ${HOW_TO_GET[variant]}, or configure another variant.`,
      { variant, file: path, fix: HOW_TO_GET[variant] },
    );
  }
  return path;
}
