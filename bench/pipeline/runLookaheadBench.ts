/**
 * Pipeline batching benchmark: many concurrent small requests of real mixed-length text, with
 * the batcher in plain FIFO order (lookahead 1) vs filling batches with texts of similar length
 * (lookahead 8, the default). Reports texts/s and the padded share of tokens. Run:
 * `npm run bench:batching`.
 */
import { configSchema } from '../../core/config/schema.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import { startEmbedline } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { observerModule } from '../../adapters/prometheus/observerModule.js';
import { corpusTexts } from '../support/corpusTexts.js';
import { median } from '../support/stats.js';

const TEXTS = Number(process.env.BENCH_TEXTS ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function run(lookahead: number, texts: string[]): Promise<{ textsPerSec: number; padding: number }> {
  let real = 0;
  let padded = 0;
  const config = configSchema.parse({ cacheDir: loadConfig(process.env).cacheDir, batching: { lookahead, maxQueuedTexts: 100_000, requestTimeoutMs: 600_000 } });
  const runtime = await startEmbedline(Object.freeze(config), PLUGIN_CATALOGUE, [
    observerModule({ onBatch: (b) => ((real += b.realTokens), (padded += b.size * b.seqLen)) }),
  ]);
  try {
    await runtime.pipeline.embed(texts.slice(0, 64));
    real = padded = 0;
    const requests: string[][] = [];
    for (let i = 0, r = 0; i < texts.length; r++) {
      const n = 1 + (r % 5);
      requests.push(texts.slice(i, i + n));
      i += n;
    }
    const started = performance.now();
    await Promise.all(requests.map((request) => runtime.pipeline.embed(request)));
    const seconds = (performance.now() - started) / 1000;
    return { textsPerSec: texts.length / seconds, padding: 1 - real / padded };
  } finally {
    await runtime.close();
  }
}

const texts = await corpusTexts(TEXTS);
console.log(`${texts.length} corpus texts as ${Math.round(texts.length / 3)} concurrent requests of 1–5 texts, ${RUNS} runs each\n`);
console.log('| batcher | texts/s median [min–max] | padded tokens |\n| --- | --- | --- |');
for (const [name, lookahead] of [['FIFO (lookahead 1)', 1], ['length-aware (lookahead 8, default)', 8]] as const) {
  const results = [];
  for (let i = 0; i < RUNS; i++) results.push(await run(lookahead, texts));
  const rates = results.map((r) => r.textsPerSec);
  console.log(`| ${name} | ${median(rates).toFixed(0)} [${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}] | ${(100 * median(results.map((r) => r.padding))).toFixed(1)}% |`);
}
