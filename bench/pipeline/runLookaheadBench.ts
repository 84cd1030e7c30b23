/**
 * Pipeline batching benchmark: many concurrent small requests (1–5 texts each) of real
 * mixed-length text through the whole pipeline, for each batcher setting asked for. Reports
 * texts/s and the padded share of the tokens sent to inference.
 *
 * Run: `npm run bench:batching` or
 * `node dist/bench/pipeline/runLookaheadBench.js [--texts 2000] [--runs 3] [--settings 1x64,8x64,8x16]`
 * where a setting is `<lookahead>x<maxBatchSize>[p<maxPaddingRatio>]` (lookahead 1 = plain FIFO;
 * no p = no padding limit).
 */
import { parseArgs } from 'node:util';
import { configSchema } from '../../core/config/schema.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import { startEmbedline } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { observerModule } from '../../adapters/prometheus/observerModule.js';
import { corpusTexts } from '../support/corpusTexts.js';
import { median } from '../support/stats.js';

interface Setting {
  lookahead: number;
  maxBatchSize: number;
  maxPaddingRatio: number;
}

interface RunResult {
  textsPerSec: number;
  padding: number;
  meanBatch: number;
}

function parseSetting(text: string): Setting {
  const match = /^(\d+)x(\d+)(?:p([\d.]+))?$/.exec(text);
  if (!match) throw new Error(`A setting is <lookahead>x<maxBatchSize>[p<maxPaddingRatio>], e.g. 8x16p0.1; got "${text}".`);
  return { lookahead: Number(match[1]), maxBatchSize: Number(match[2]), maxPaddingRatio: Number(match[3] ?? 1) };
}

/** Requests of 1–5 texts in a fixed pattern, so every setting sees the same load. */
function toRequests(texts: readonly string[]): string[][] {
  const requests: string[][] = [];
  for (let i = 0, r = 0; i < texts.length; r++) {
    const n = 1 + (r % 5);
    requests.push(texts.slice(i, i + n));
    i += n;
  }
  return requests;
}

async function run(setting: Setting, texts: readonly string[]): Promise<RunResult> {
  let real = 0;
  let padded = 0;
  let batches = 0;
  const config = configSchema.parse({
    cacheDir: loadConfig(process.env).cacheDir,
    batching: { ...setting, maxQueuedTexts: 100_000, requestTimeoutMs: 600_000 },
  });
  const runtime = await startEmbedline(Object.freeze(config), PLUGIN_CATALOGUE, [
    observerModule({ onBatch: (b) => ((real += b.realTokens), (padded += b.size * b.seqLen), batches++) }),
  ]);
  try {
    await runtime.pipeline.embed(texts.slice(0, 64)); // warm-up: sessions and arenas
    real = padded = batches = 0;
    const started = performance.now();
    await Promise.all(toRequests(texts).map((request) => runtime.pipeline.embed(request)));
    const seconds = (performance.now() - started) / 1000;
    return { textsPerSec: texts.length / seconds, padding: 1 - real / padded, meanBatch: texts.length / batches };
  } finally {
    await runtime.close();
  }
}

const { values } = parseArgs({
  options: {
    texts: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '3' },
    settings: { type: 'string', default: '1x64,8x64,8x16,8x16p0.05,8x8p0.05,1x1' },
  },
});
const settings = values.settings.split(',').map(parseSetting);
const runs = Number(values.runs);
const texts = await corpusTexts(Number(values.texts));
console.log(`${texts.length} corpus texts as ${toRequests(texts).length} concurrent requests of 1–5 texts, ${runs} runs each\n`);
console.log('| lookahead | maxBatchSize | maxPaddingRatio | texts/s median [min–max] | padded tokens | mean batch |\n| --- | --- | --- | --- | --- | --- |');
for (const setting of settings) {
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await run(setting, texts));
  const rates = results.map((r) => r.textsPerSec);
  const cells = [
    setting.lookahead === 1 ? '1 (FIFO)' : String(setting.lookahead),
    String(setting.maxBatchSize),
    setting.maxPaddingRatio >= 1 ? 'none' : String(setting.maxPaddingRatio),
    `${median(rates).toFixed(0)} [${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}]`,
    `${(100 * median(results.map((r) => r.padding))).toFixed(1)}%`,
    median(results.map((r) => r.meanBatch)).toFixed(1),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
