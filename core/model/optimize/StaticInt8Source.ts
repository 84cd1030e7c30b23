import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TextTokenizer } from '../../encoder/TextTokenizer.js';
import { textsDigest } from '../../precision/calibrationFile.js';
import { MODEL_FILES, type ModelCatalogueEntry } from '../catalogue.js';
import { sha256File } from '../fileDigest.js';
import { readModelInfo } from '../modelInfo.js';
import type { FetchedFile, ModelSource } from '../sources/ModelSource.js';
import { optimizerScriptDir } from './optimizerScript.js';
import { ensureVenv } from './pythonVenv.js';

const run = promisify(execFile);

export interface StaticInt8Options {
  /** Real texts to calibrate the activation ranges on; keep them out of any evaluation set. */
  readonly calibrationTexts: readonly string[];
  /** Where the optimizer's virtual environment lives (`<cacheDir>/venv-optimize`). */
  readonly venvDir: string;
  /** Node names kept in float (scripts/model-optimize/quantize_static.py --exclude-node). */
  readonly excludeNodes?: readonly string[];
  readonly log?: (line: string) => void;
  readonly onReport?: (report: unknown) => void;
}

/**
 * Builds the int8-static variant from the model's own `onnx/model.onnx`: the calibration texts
 * are tokenized here by the production tokenizer (same truncation), written as JSONL token ids,
 * and scripts/model-optimize/quantize_static.py quantizes with onnxruntime's quantize_static
 * (QDQ, per-channel int8 weights, uint8 activations calibrated by MinMax; attention's
 * activation MatMuls and the feed-forward output MatMuls stay float). A ModelSource, so
 * `ModelStore.pull` records the file in manifest.json with its sha256 and the calibration
 * texts' digest.
 *
 * @example
 * await store.pull('all-MiniLM-L6-v2', [new StaticInt8Source({ calibrationTexts, venvDir })]);
 */
export class StaticInt8Source implements ModelSource {
  readonly name = 'quantize-static';

  constructor(private readonly options: StaticInt8Options) {
    if (options.calibrationTexts.length === 0) throw new RangeError('static int8 quantization needs calibration texts');
  }

  provides(): readonly string[] {
    return [MODEL_FILES.int8Static];
  }

  async fetch(entry: ModelCatalogueEntry, _wanted: readonly string[], modelDir: string): Promise<readonly FetchedFile[]> {
    const scripts = optimizerScriptDir();
    const python = await ensureVenv(this.options.venvDir, join(scripts, 'requirements.txt'), this.options.log);
    const work = await mkdtemp(join(tmpdir(), 'embedline-int8-static-'));
    try {
      const tokens = join(work, 'calibration.jsonl');
      await writeTokenized(modelDir, entry, this.options.calibrationTexts, tokens);
      const source = join(modelDir, MODEL_FILES.fp32);
      const out = join(modelDir, MODEL_FILES.int8Static);
      const args = ['-B', join(scripts, 'quantize_static.py'), '--source', source, '--out', out, '--calibration', tokens];
      for (const node of this.options.excludeNodes ?? []) args.push('--exclude-node', node);
      this.options.log?.(`quantizing ${source} statically on ${this.options.calibrationTexts.length} calibration texts`);
      const stdout = await runScript(python, args);
      this.options.onReport?.(JSON.parse(stdout));
      const origin = `${this.name}:scripts/model-optimize/quantize_static.py from ${MODEL_FILES.fp32}@${(await sha256File(source)).slice(0, 12)} on texts@${textsDigest(this.options.calibrationTexts).slice(0, 12)}`;
      return [{ path: MODEL_FILES.int8Static, sha256: await sha256File(out), bytes: (await stat(out)).size, source: origin }];
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

async function writeTokenized(modelDir: string, entry: ModelCatalogueEntry, texts: readonly string[], file: string): Promise<void> {
  const info = await readModelInfo(modelDir, entry);
  const tokenizer = TextTokenizer.fromFile(info.tokenizerPath, info.maxSeqLength);
  const tokenized = await tokenizer.tokenize(texts);
  await writeFile(file, tokenized.map((t) => `${JSON.stringify({ ids: Array.from(t.ids) })}\n`).join(''));
}

async function runScript(python: string, args: string[]): Promise<string> {
  try {
    return (await run(python, args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`quantize_static.py failed: ${stderr?.trim() || (error as Error).message}`, { cause: error });
  }
}
