import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../errors.js';
import { CALIBRATION_FILE, CALIBRATION_VERSION, DEFAULT_QUANTILES, MIN_CALIBRATION_TEXTS, parseCalibration, quantileRanges, widenedRanges, type Calibration } from './calibration.js';

export interface CalibrationInput {
  readonly model: string;
  readonly modelSha256: string;
  readonly variant: string;
  readonly texts: readonly string[];
  /** The model's normalized vectors of `texts`, in order. */
  readonly vectors: readonly Float32Array[];
  readonly corpusDescription: string;
  readonly quantiles?: { lower: number; upper: number };
  /** Lowered only by tests of the file format; `embedline model calibrate` keeps 10,000. */
  readonly minTexts?: number;
}

/**
 * Measures per-dimension ranges over real vectors (quantiles for int8/uint8, the widened full
 * range for int16) and records what they rest on.
 *
 * @example
 * const calibration = buildCalibration({ model: 'all-MiniLM-L6-v2', modelSha256, variant: 'fp32', texts, vectors, corpusDescription: 'debian' });
 * await writeCalibration(modelDir, calibration);
 */
export function buildCalibration(input: CalibrationInput, now = new Date()): Calibration {
  const minTexts = input.minTexts ?? MIN_CALIBRATION_TEXTS;
  if (input.texts.length < minTexts) {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `calibration needs at least ${minTexts} texts, got ${input.texts.length}`, { texts: input.texts.length });
  }
  if (input.vectors.length !== input.texts.length) throw new RangeError('one vector per text is required');
  const dimensions = input.vectors[0]!.length;
  const quantiles = input.quantiles ?? DEFAULT_QUANTILES;
  return parseCalibration({
    version: CALIBRATION_VERSION,
    model: input.model,
    modelSha256: input.modelSha256,
    variant: input.variant,
    dimensions,
    quantiles: { ...quantiles },
    corpus: { description: input.corpusDescription, texts: input.texts.length, sha256: textsDigest(input.texts) },
    createdAt: now.toISOString(),
    ranges: { ...quantileRanges(input.vectors, dimensions, quantiles), int16: widenedRanges(input.vectors, dimensions) },
  });
}

/** sha256 over the texts, newline-joined: two calibrations on the same corpus share it. */
export function textsDigest(texts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const text of texts) hash.update(text).update('\n');
  return hash.digest('hex');
}

export async function writeCalibration(modelDir: string, calibration: Calibration): Promise<string> {
  const file = join(modelDir, CALIBRATION_FILE);
  await writeFile(`${file}.partial`, `${JSON.stringify(calibration, null, 1)}\n`);
  await rename(`${file}.partial`, file);
  return file;
}

/**
 * The model directory's calibration, or undefined when none was made. A file for another model
 * file (its sha256 differs from `modelSha256`) or another version is refused with a message
 * that says how to rebuild it.
 */
export async function readCalibration(modelDir: string, modelSha256?: string): Promise<Calibration | undefined> {
  const file = join(modelDir, CALIBRATION_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  let calibration: Calibration;
  try {
    calibration = parseCalibration(JSON.parse(text));
  } catch (cause) {
    throw new EmbedlineError('EMBEDLINE_CONFIG', `${file} is not a calibration this build reads (versions 1-${CALIBRATION_VERSION}) (${(cause as Error).message}); run \`embedline model calibrate\``, { file }, { cause });
  }
  if (modelSha256 && calibration.modelSha256 !== modelSha256) {
    throw new EmbedlineError('EMBEDLINE_CONFIG', `${file} was measured on another model file (${calibration.modelSha256.slice(0, 12)}, now ${modelSha256.slice(0, 12)}); run \`embedline model calibrate\``, { file });
  }
  return calibration;
}
