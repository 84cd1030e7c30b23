import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { createEncoder, defaultEncoderOptions } from '../../core/encoder/createEncoder.js';
import { MODEL_FILES } from '../../core/model/catalogue.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { readModelInfo } from '../../core/model/modelInfo.js';
import { DEFAULT_QUANTILES } from '../../core/precision/calibration.js';
import { buildCalibration, writeCalibration } from '../../core/precision/calibrationFile.js';

/**
 * `embedline model calibrate`: per-dimension quantile ranges of the fp32 model's vectors over
 * ≥ 10,000 real texts (one per line, or JSONL with a `text` field), written to the model
 * directory's quantization.json. Without --texts it builds the Debian-description corpus.
 */
export function registerCalibrateCommand(program: Command): void {
  const model = program.commands.find((c) => c.name() === 'model');
  if (!model) throw new Error('register the model commands before calibrate');
  model
    .command('calibrate')
    .argument('[name]', 'model name (default: the configured model)')
    .description('measure per-dimension ranges for int16/int8/uint8 vectors on real text (quantization.json)')
    .option('--texts <file>', 'texts to calibrate on: .txt one per line, or .jsonl with "text" (default: Debian corpus, 10,000 texts)')
    .option('--lower <q>', 'lower quantile', String(DEFAULT_QUANTILES.lower))
    .option('--upper <q>', 'upper quantile', String(DEFAULT_QUANTILES.upper))
    .action(async (name: string | undefined, options: { texts?: string; lower: string; upper: string }) => {
      const config = loadConfig(process.env);
      const { store } = modelStoreFor(config);
      const modelName = name ?? config.model.name;
      const dir = await store.requireModel(modelName);
      const manifest = await store.readManifest(modelName);
      const { texts, description } = await calibrationTexts(options.texts);
      const running = await createEncoder(await readModelInfo(dir, 256), defaultEncoderOptions());
      try {
        process.stderr.write(`embedding ${texts.length} texts with the fp32 model\n`);
        const vectors = await running.encoder.encode(texts);
        const calibration = buildCalibration({
          model: modelName,
          modelSha256: manifest.files[MODEL_FILES.fp32]!.sha256,
          variant: 'fp32',
          texts,
          vectors,
          corpusDescription: description,
          quantiles: { lower: Number(options.lower), upper: Number(options.upper) },
        });
        process.stdout.write(`${await writeCalibration(dir, calibration)}\n`);
      } finally {
        await running.close();
      }
    });
}

async function calibrationTexts(file: string | undefined): Promise<{ texts: string[]; description: string }> {
  if (!file) {
    // The benchmark corpus builder (bench/corpus) is the one source of real text on this machine.
    const { buildCorpus, readCorpusTexts } = await import('../../bench/corpus/buildCorpus.js');
    const built = await buildCorpus({ size: 10_000, seed: 42 });
    return { texts: await readCorpusTexts(built.file), description: 'Debian package descriptions (bench/corpus, 10,000 texts, seed 42)' };
  }
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const texts = file.endsWith('.jsonl') ? lines.map((l) => (JSON.parse(l) as { text: string }).text) : lines;
  return { texts, description: join(file) };
}
