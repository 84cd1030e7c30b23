import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILES } from '../model/catalogue.js';
import type { Calibration } from './calibration.js';
import { readCalibration } from './calibrationFile.js';

/**
 * The calibration of the model directory `dir`, checked against the fp32 file's sha256 that
 * manifest.json records (ranges belong to the file they were measured on); undefined when
 * `embedline model calibrate` was never run there.
 *
 * @example
 * const calibration = await readModelCalibration(runtime.model.dir);
 */
export async function readModelCalibration(dir: string): Promise<Calibration | undefined> {
  const manifest = await readFile(join(dir, MODEL_FILES.manifest), 'utf8').then(
    (text) => JSON.parse(text) as { files?: Record<string, { sha256?: string }> },
    () => undefined,
  );
  return readCalibration(dir, manifest?.files?.[MODEL_FILES.fp32]?.sha256);
}
