/**
 * `run-gpu-bench.sh pack` step: tokenizes real text (Debian package descriptions, the CPU
 * bench's corpus) and embeds it with the fp32 export through the production pipeline, for the
 * GPU run to replay and check.
 *
 * Run: `node dist/bench/gpu/packCorpus.js <outDir> [--size 2000]`
 */
import { parseArgs } from 'node:util';
import { buildCorpus, readCorpusTexts } from '../corpus/buildCorpus.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { readModelInfo } from '../../core/model/modelInfo.js';
import { catalogueEntry } from '../../core/model/ModelStore.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { embedVectors, startBenchRuntime } from '../encoder/benchRuntime.js';
import { writeTokenCorpus } from './tokenCorpus.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { size: { type: 'string', default: '1000' } } });
const outDir = positionals[0];
if (!outDir) throw new Error('usage: packCorpus.js <outDir> [--size N]');

const config = loadConfig(process.env);
const { store, sources } = modelStoreFor(config);
const model = await readModelInfo(await store.ensure(config.model.name, sources), catalogueEntry(config.model.name));
const { file } = await buildCorpus({ size: Number(values.size), seed: 42 });
const texts = await readCorpusTexts(file);
const runtime = await startBenchRuntime(config, { variant: 'fp32' });
try {
  const { tokenizer } = await runtime.container.getAsync(MODEL_RUNTIME);
  const tokens = await tokenizer.tokenize(texts);
  const reference = await embedVectors(runtime, texts);
  const corpus = { source: file, maxTokens: tokenizer.maxTokens, dimensions: model.dimensions, ids: tokens.map((t) => Array.from(t.ids)) };
  await writeTokenCorpus(outDir, corpus, reference);
  process.stderr.write(`packed ${texts.length} texts (${tokens.reduce((n, t) => n + t.ids.length, 0)} word pieces) from ${file}\n`);
} finally {
  await runtime.close();
}
