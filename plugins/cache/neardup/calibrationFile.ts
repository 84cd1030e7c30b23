import { readFile, writeFile } from 'node:fs/promises';
import { EmbedlineError } from '../../../core/errors.js';
import type { NearDuplicateConfig } from './nearDuplicateConfig.js';
import type { NearDuplicateSimulation } from './simulateNearDuplicates.js';

export const CALIBRATION_KIND = 'embedline.near-duplicate-calibration';

/** What `embedline cache calibrate-near-duplicates` writes, and the tier reads at start. */
export interface NearDuplicateCalibration extends NearDuplicateSimulation {
  readonly kind: typeof CALIBRATION_KIND;
  readonly version: 1;
  readonly model: string;
  readonly variant: string;
  /** Word pieces the window is cut at. */
  readonly truncation: number;
  /** Sketcher.id: the design and its parameters. */
  readonly sketch: string;
  readonly k: number;
  /** Where the texts came from (the file given), for the operator. */
  readonly corpus: string;
  readonly createdAt: string;
}

/** What the running instance will serve with; the calibration must have measured exactly this. */
export interface CalibrationScope {
  readonly model: string;
  readonly variant: string;
  readonly truncation: number;
  readonly sketch: string;
}

export async function writeNearDuplicateCalibration(path: string, calibration: NearDuplicateCalibration): Promise<void> {
  await writeFile(path, `${JSON.stringify(calibration, null, 2)}\n`);
}

const OPTION = 'pluginOptions.cache.nearDuplicate';

/**
 * The safety gate, run at start when `nearDuplicate.enabled`: an error bound and a calibration
 * file must be configured, the file must have measured this model, variant, truncation and
 * sketch at the configured τ, with at least `minCalibrationHits` hits, and the cosine it served
 * there must meet the bound. Otherwise start fails with EMBEDLINE_CONFIG listing every problem.
 *
 * @example
 * const calibration = await checkNearDuplicateCalibration(config.nearDuplicate, { model: 'all-MiniLM-L6-v2', variant: 'fp32', truncation: 256, sketch: sketcher.id });
 */
export async function checkNearDuplicateCalibration(config: NearDuplicateConfig, scope: CalibrationScope): Promise<NearDuplicateCalibration> {
  const problems: string[] = [];
  if (!config.errorBound) problems.push(`${OPTION}.errorBound is missing (e.g. { p1Cosine: 0.99 }): the tier serves approximate vectors only within a bound you set`);
  if (!config.calibrationFile) problems.push(`${OPTION}.calibrationFile is missing: run \`embedline cache calibrate-near-duplicates --texts FILE\` on your own traffic and point it at the file it writes`);
  const calibration = config.calibrationFile ? await readCalibration(config.calibrationFile, problems) : undefined;
  if (calibration) {
    const file = config.calibrationFile!;
    for (const field of ['model', 'variant', 'truncation', 'sketch'] as const) {
      if (calibration[field] !== scope[field]) problems.push(`${file} was measured with ${field} ${JSON.stringify(calibration[field])}; this instance runs ${JSON.stringify(scope[field])}: calibrate again`);
    }
    const row = calibration.rows.find((r) => Math.abs(r.threshold - config.threshold) < 1e-9);
    if (!row) problems.push(`${file} has no measurement at ${OPTION}.threshold ${config.threshold} (measured: ${calibration.rows.map((r) => r.threshold).join(', ')})`);
    else if (row.hits < config.minCalibrationHits || !row.cosine) problems.push(`${file} has ${row.hits} hits at threshold ${config.threshold}, fewer than minCalibrationHits ${config.minCalibrationHits}: too few to know its error; calibrate on more traffic`);
    else if (config.errorBound) {
      const { p1Cosine, minCosine } = config.errorBound;
      if (row.cosine.p1 < p1Cosine) problems.push(`at threshold ${config.threshold} the calibration served cosine p1 ${row.cosine.p1.toFixed(4)}, below ${OPTION}.errorBound.p1Cosine ${p1Cosine}: raise the threshold or do not enable the tier`);
      if (minCosine !== undefined && row.cosine.min < minCosine) problems.push(`at threshold ${config.threshold} the calibration served cosine min ${row.cosine.min.toFixed(4)}, below ${OPTION}.errorBound.minCosine ${minCosine}`);
    }
  }
  if (problems.length > 0) throw new EmbedlineError('EMBEDLINE_CONFIG', `The near-duplicate cache tier cannot be enabled:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems });
  return calibration!;
}

async function readCalibration(path: string, problems: string[]): Promise<NearDuplicateCalibration | undefined> {
  let parsed: Partial<NearDuplicateCalibration>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<NearDuplicateCalibration>;
  } catch (error) {
    problems.push(`${OPTION}.calibrationFile ${path} cannot be read: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  if (parsed?.kind !== CALIBRATION_KIND || parsed.version !== 1 || !Array.isArray(parsed.rows)) {
    problems.push(`${path} is not a near-duplicate calibration file (kind ${CALIBRATION_KIND}, version 1)`);
    return undefined;
  }
  return parsed as NearDuplicateCalibration;
}
