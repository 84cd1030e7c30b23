import { ContainerModule } from 'inversify';
import { copyFile, mkdir, mkdtemp, readdir, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { EmbedlineConfigInput } from '../../../core/config/schema.js';
import { PIPELINE_OBSERVER, type PipelineObserver } from '../../../core/ports/PipelineObserver.js';
import type { Calibration } from '../../../core/precision/calibration.js';
import { buildCalibration, writeCalibration } from '../../../core/precision/calibrationFile.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import type { PrecisionConfigInput } from '../../../plugins/precision/config.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { embedTexts, realModel, startRealRuntime } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';

export interface CalibratedStore {
  /** A cache dir whose model directory links the real model files and holds a quantization.json. */
  readonly cacheDir: string;
  readonly calibration: Calibration;
}

let store: Promise<CalibratedStore> | undefined;
let bare: Promise<string> | undefined;

/** A fresh cache dir whose model directory links the real model files and has no calibration. */
export function uncalibratedCacheDir(): Promise<string> {
  bare ??= linkedModelDir().then(({ cacheDir }) => cacheDir);
  return bare;
}

async function linkedModelDir(): Promise<{ cacheDir: string; dir: string }> {
  const model = await realModel();
  const cacheDir = await mkdtemp(join(tmpdir(), 'embedline-precision-'));
  const dir = join(cacheDir, 'models', basename(model.dir));
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(model.dir)) {
    if (entry === 'quantization.json') continue;
    // The manifest is copied, not linked: another process adding files to the shared model
    // directory (a variant build, bundled config files) rewrites it, and a linked manifest would
    // then list files this directory has no link for.
    if (entry === 'manifest.json') await copyFile(join(model.dir, entry), join(dir, entry));
    else await symlink(join(model.dir, entry), join(dir, entry));
  }
  return { cacheDir, dir };
}

/**
 * The real model's files linked into a fresh cache dir, with a calibration measured on the
 * fixture sentences' real fp32 vectors (raw min/max, so every fixture vector lies in range).
 * The shared model directory is left as it is: its quantization.json belongs to
 * `embedline model calibrate` runs on ≥ 10,000 texts.
 */
export function calibratedStore(): Promise<CalibratedStore> {
  store ??= (async () => {
    const { cacheDir, dir } = await linkedModelDir();
    const runtime = await startRealRuntime({ workers: 1 });
    let vectors: Float32Array[];
    try {
      vectors = await embedTexts(runtime, VARIED_SENTENCES);
    } finally {
      await runtime.close();
    }
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    const calibration = buildCalibration({ model: basename(dir), modelSha256: manifest.files['onnx/model.onnx']!.sha256, variant: 'fp32', texts: VARIED_SENTENCES, vectors, corpusDescription: 'test fixtures', quantiles: { lower: 0, upper: 1 }, minTexts: 2 });
    await writeCalibration(dir, calibration);
    return { cacheDir, calibration };
  })();
  return store;
}

/** A real runtime with the precision plugin on the calibrated store, and the devices its batches ran on. */
export interface PrecisionRuntime {
  readonly runtime: EmbedlineRuntime;
  readonly calibration: Calibration;
  /** Device id of every batch that ran, in order (`cpu-fp32-0`, `cpu-int8-0`, …). */
  readonly batchDevices: string[];
}

export async function startPrecisionRuntime(precision: PrecisionConfigInput = {}, extra: Partial<EmbedlineConfigInput> = {}, modules: readonly ContainerModule[] = []): Promise<PrecisionRuntime> {
  const { cacheDir, calibration } = await calibratedStore();
  const batchDevices: string[] = [];
  const watch: PipelineObserver = { onBatch: (event) => void batchDevices.push(event.device) };
  const observe = new ContainerModule(({ bind }) => {
    bind(PIPELINE_OBSERVER).toConstantValue(watch);
  });
  const runtime = await startTestRuntime(
    { cacheDir, plugins: ['precision'], encoder: { workers: 1, intraOpThreads: 1 }, batching: { requestTimeoutMs: 110_000 }, ...extra, pluginOptions: { precision } },
    [observe, ...modules],
  );
  return { runtime, calibration, batchDevices };
}
