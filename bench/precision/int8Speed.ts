/**
 * CPU throughput of the fp32, published dynamic-int8 and int8-static variants on the same texts,
 * measured interleaved: one runtime per variant (one worker, one intra-op thread each) is started
 * up front, and every round embeds the same texts once with each, in a rotating order, so a
 * neighbour's load on a shared machine falls on all variants alike. Reports each variant's median
 * texts/s over the rounds and the median per-round ratio to the dynamic int8 model.
 *
 * Run: `npx tsx bench/precision/int8Speed.ts [--texts 256] [--rounds 7]`
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../core/config/loadConfig.js';
import { VARIANT_FILES, type ModelVariant } from '../../core/model/modelInfo.js';
import type { EmbedlineRuntime } from '../../core/runtime.js';
import { startBenchRuntime } from '../encoder/benchRuntime.js';
import { corpusTexts } from '../support/corpusTexts.js';
import { median } from '../support/stats.js';
import { realModelDir } from './modelDir.js';

const { values } = parseArgs({ options: { texts: { type: 'string', default: '256' }, rounds: { type: 'string', default: '7' } } });
const texts = await corpusTexts(Number(values.texts));
const rounds = Number(values.rounds);
const config = loadConfig(process.env);
const dir = await realModelDir();
const variants = (['fp32', 'int8', 'int8-static'] as ModelVariant[]).filter((v) => existsSync(join(dir, VARIANT_FILES[v])));
const runtimes = new Map<ModelVariant, EmbedlineRuntime>();
for (const variant of variants) runtimes.set(variant, await startBenchRuntime(config, { variant, workers: 1, threads: 1 }));
const rates = new Map<ModelVariant, number[]>(variants.map((v) => [v, []]));
try {
  for (const runtime of runtimes.values()) await runtime.pipeline.embed(texts.slice(0, 32)); // warm-up: sessions, arenas
  for (let round = 0; round < rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    for (const variant of order) {
      const start = performance.now();
      await runtimes.get(variant)!.pipeline.embed(texts);
      rates.get(variant)!.push(texts.length / ((performance.now() - start) / 1000));
    }
    process.stderr.write(`round ${round + 1}: ${variants.map((v) => `${v} ${rates.get(v)!.at(-1)!.toFixed(1)}`).join(', ')} texts/s\n`);
  }
} finally {
  for (const runtime of runtimes.values()) await runtime.close();
}
const dynamic = rates.get('int8')!;
process.stdout.write(`${texts.length} corpus texts, ${rounds} interleaved rounds, 1 worker x 1 thread per variant\n\n| variant | median texts/s | best | median ratio to int8 (per round) |\n| --- | --- | --- | --- |\n`);
for (const variant of variants) {
  const r = rates.get(variant)!;
  const ratio = median(r.map((x, i) => x / dynamic[i]!));
  process.stdout.write(`| ${variant} | ${median(r).toFixed(1)} | ${Math.max(...r).toFixed(1)} | ${ratio.toFixed(2)} |\n`);
}
