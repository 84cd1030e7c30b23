import type { Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { MODEL_FILES } from '../../core/model/catalogue.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { DEFAULT_QUANTILES } from '../../core/precision/calibration.js';
import { buildCalibration, writeCalibration } from '../../core/precision/calibrationFile.js';
import { startEmbedline } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { embedChunks, FILE_JOB_CHUNK_TIMEOUT_MS } from './embed/embedChunks.js';
import { readInputs } from './embed/readInputs.js';

/**
 * `embedline model calibrate --texts FILE`: per-dimension quantile ranges of the fp32 model's
 * vectors over ≥ 10,000 real texts (one per line, or JSONL with a `text` field), written to the
 * model directory's quantization.json. The vectors come from the production runtime (the same
 * pipeline `serve` runs), forced to the fp32 variant.
 */
export function registerCalibrateCommand(program: Command): void {
  const model = program.commands.find((c) => c.name() === 'model');
  if (!model) throw new Error('register the model commands before calibrate');
  model
    .command('calibrate')
    .argument('[name]', 'model name (default: the configured model)')
    .description('measure per-dimension ranges for int16/int8/uint8 vectors on real text (quantization.json)')
    .requiredOption('--texts <file>', 'texts to calibrate on: .txt one per line, or .jsonl with "text" (e.g. the bench corpus: npx tsx bench/corpus/buildCorpus.ts)')
    .option('--lower <q>', 'lower quantile', String(DEFAULT_QUANTILES.lower))
    .option('--upper <q>', 'upper quantile', String(DEFAULT_QUANTILES.upper))
    .action(async (name: string | undefined, options: { texts: string; lower: string; upper: string }) => {
      const config = loadConfig(process.env);
      const { store } = modelStoreFor(config);
      const modelName = name ?? config.model.name;
      const dir = await store.requireModel(modelName);
      const manifest = await store.readManifest(modelName);
      const texts = await calibrationTexts(options.texts);
      const runtime = await startEmbedline({ ...config, model: { ...config.model, name: modelName, variant: 'fp32' } }, PLUGIN_CATALOGUE);
      try {
        process.stderr.write(`embedding ${texts.length} texts with the fp32 model\n`);
        const vectors: Float32Array[] = [];
        for await (const chunk of embedChunks(runtime.pipeline, texts, { chunk: 256, concurrency: 4, priority: 'normal', timeoutMs: FILE_JOB_CHUNK_TIMEOUT_MS })) vectors.push(...chunk.vectors);
        const calibration = buildCalibration({
          model: modelName,
          modelSha256: manifest.files[MODEL_FILES.fp32]!.sha256,
          variant: 'fp32',
          texts,
          vectors,
          corpusDescription: options.texts,
          quantiles: { lower: Number(options.lower), upper: Number(options.upper) },
        });
        process.stdout.write(`${await writeCalibration(dir, calibration)}\n`);
      } finally {
        await runtime.close();
      }
    });
}

/** The non-blank texts of a .txt (one per line) or .jsonl (`text` field) file. */
async function calibrationTexts(file: string): Promise<string[]> {
  const rows = await readInputs(file, { column: 'text', idColumn: 'id' });
  return rows.map((r) => r.text).filter((text) => text.trim() !== '');
}
