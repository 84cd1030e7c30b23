import type { Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { startEmbedline } from '../../core/runtime.js';
import { openVectorIndex } from '../../plugins/cache/ann/openVectorIndex.js';
import { cacheConfigSchema } from '../../plugins/cache/config.js';
import { CALIBRATION_KIND, writeNearDuplicateCalibration, type NearDuplicateCalibration } from '../../plugins/cache/neardup/calibrationFile.js';
import { createSketcher } from '../../plugins/cache/neardup/createSketcher.js';
import { formatCalibrationTable } from '../../plugins/cache/neardup/formatCalibrationTable.js';
import { simulateNearDuplicates } from '../../plugins/cache/neardup/simulateNearDuplicates.js';
import { streamTexts } from '../../plugins/cache/neardup/streamTexts.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { UsageError } from './usageError.js';
import { readInputs } from './embed/readInputs.js';

export const DEFAULT_NEAR_THRESHOLDS = [0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99];

/**
 * `embedline cache calibrate-near-duplicates --texts FILE`: replays the operator's own traffic
 * (texts in arrival order, one per line or JSONL `text`) through an exact cache and the
 * near-duplicate tier configured in `pluginOptions.cache.nearDuplicate`, with the real model,
 * and writes, per τ, the hit rate it adds and the cosine of the vectors it would serve to the
 * true ones (mean, p1, min). The tier can be enabled only with such a file whose row at the
 * configured τ meets `errorBound`.
 */
export function registerCacheCommands(program: Command): void {
  program
    .command('cache')
    .description('embedding cache tools')
    .command('calibrate-near-duplicates')
    .description('measure, on your own traffic, what the near-duplicate cache tier would serve at each threshold (the file enabling it needs)')
    .requiredOption('--texts <file>', 'texts in the order they arrive: .txt one per line, or .jsonl with "text" (thousands, from real traffic)')
    .option('--out <file>', 'where to write the calibration', 'near-duplicate-calibration.json')
    .option('--thresholds <list>', 'comma-separated thresholds τ to measure', DEFAULT_NEAR_THRESHOLDS.join(','))
    .action(async (options: { texts: string; out: string; thresholds: string }) => {
      const thresholds = options.thresholds.split(',').map(Number);
      if (thresholds.some((t) => !(t > 0 && t <= 1))) throw new UsageError(`--thresholds must be numbers in (0, 1], got ${options.thresholds}`);
      const config = loadConfig(process.env);
      const cache = cacheConfigSchema.parse(config.pluginOptions.cache ?? {});
      const near = cache.nearDuplicate;
      const sketcher = createSketcher(near);
      const texts = (await readInputs(options.texts, { column: 'text', idColumn: 'id' })).map((r) => r.text).filter((t) => t.trim() !== '');
      // No plugins: every vector is the model's own, the truth served vectors are compared with.
      const runtime = await startEmbedline({ ...config, plugins: [] }, PLUGIN_CATALOGUE);
      try {
        const { tokenizer } = await runtime.container.getAsync(MODEL_RUNTIME);
        process.stderr.write(`embedding ${texts.length} texts with ${config.model.name} (${config.model.variant}); sketch ${sketcher.id}\n`);
        const stream = await streamTexts(runtime, texts);
        // The configured index kind, so an approximate index's misses are in the calibration too.
        const open = (d: number) => openVectorIndex(d, (line) => process.stderr.write(`${line}\n`), 'faiss-node', near.index);
        const result = simulateNearDuplicates(sketcher, stream, thresholds, { k: near.k, open });
        const calibration: NearDuplicateCalibration = {
          kind: CALIBRATION_KIND,
          version: 1,
          model: config.model.name,
          variant: config.model.variant,
          truncation: tokenizer.maxTokens,
          sketch: sketcher.id,
          k: near.k,
          corpus: options.texts,
          createdAt: new Date().toISOString(),
          ...result,
        };
        await writeNearDuplicateCalibration(options.out, calibration);
        process.stderr.write(`${formatCalibrationTable(result)}\n`);
        process.stdout.write(`${options.out}\n`);
      } finally {
        await runtime.close();
      }
    });
}
