/**
 * Builds the int8-static model variant, calibrated on texts of Debian packages the retrieval
 * benchmark never evaluates (retrievalPairs.ts's held-out split for the same --pairs and --seed).
 *
 * Run: `npx tsx bench/precision/buildStaticInt8.ts [--texts 1000] [--pairs 1000] [--seed 42] [--force]
 *       [--exclude-node NAME ...]`
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/loadConfig.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { quantizeStaticInt8 } from '../../core/model/optimize/quantizeStaticInt8.js';
import { readAptDescriptions } from '../corpus/aptSource.js';
import { retrievalTask } from './retrievalPairs.js';

const { values } = parseArgs({
  options: {
    texts: { type: 'string', default: '1000' },
    pairs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    'exclude-node': { type: 'string', multiple: true, default: [] },
    force: { type: 'boolean', default: false },
  },
});
const count = Number(values.texts);
const task = retrievalTask(await readAptDescriptions(), { pairs: Number(values.pairs), heldOut: Math.ceil(count / 2), seed: Number(values.seed) });
const config = loadConfig(process.env);
const { store } = modelStoreFor(config);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const report = await quantizeStaticInt8(store, config.model.name, {
  calibrationTexts: task.calibrationTexts.slice(0, count),
  venvDir: join(config.cacheDir, 'venv-optimize'),
  excludeNodes: values['exclude-node'],
  force: values.force,
  log,
});
process.stdout.write(report.built ? `${JSON.stringify(report.report, null, 2)}\n` : 'int8-static already built; --force rebuilds\n');
