/**
 * Near-duplicate tier (issue 13 item 3): on the real repeating stream bench:cache uses, and on
 * that stream with realistic near-duplicates spliced in (nearDuplicateStream.ts), the hit rate
 * the tier would add over the exact tiers (text key + token key) and the cosine of the vectors
 * it would serve to the true ones (mean, p1, min), for several τ and sketch designs, with the
 * real model and FAISS (the same replay `embedline cache calibrate-near-duplicates` runs).
 * Hit rates and cosines do not depend on the machine's load; the sketch time per text does
 * (printed separately, for a quiet machine).
 * Run: `npm run bench:near-dup` (BENCH_STREAM_SIZE=4000 texts of the real stream; NEAR_SHARE=0.3).
 */
import { loadConfig } from '../../core/config/loadConfig.js';
import { startEmbedline } from '../../core/runtime.js';
import { openVectorIndex } from '../../plugins/cache/ann/openVectorIndex.js';
import { MinHashSketcher } from '../../plugins/cache/neardup/MinHashSketcher.js';
import { NgramSketcher } from '../../plugins/cache/neardup/NgramSketcher.js';
import type { Sketcher } from '../../plugins/cache/neardup/Sketcher.js';
import { simulateNearDuplicates, type StreamText } from '../../plugins/cache/neardup/simulateNearDuplicates.js';
import { streamTexts } from '../../plugins/cache/neardup/streamTexts.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { NEAR_DUPLICATE_KINDS, withNearDuplicates } from './nearDuplicateStream.js';
import { repeatingStream } from './repeatingStream.js';

const STREAM_SIZE = Number(process.env.BENCH_STREAM_SIZE ?? 4_000);
const SHARE = Number(process.env.NEAR_SHARE ?? 0.3);
const THRESHOLDS = [0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99];
const K = 4;
const SKETCHERS: Sketcher[] = [new NgramSketcher(5, 256), new NgramSketcher(3, 512), new MinHashSketcher(5, 128, 2)];

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const cos = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(3));

const real = await repeatingStream(STREAM_SIZE);
const near = withNearDuplicates(real.texts, SHARE);
log(`real stream: ${real.texts.length} texts from offset ${real.offset}; with near-duplicates: ${near.texts.length} texts (${near.kinds.filter(Boolean).length} made: ${NEAR_DUPLICATE_KINDS.map((k) => `${k} ${near.kinds.filter((x) => x === k).length}`).join(', ')})`);
const runtime = await startEmbedline({ ...loadConfig(process.env), plugins: [] }, PLUGIN_CATALOGUE);
let streams: { name: string; items: StreamText[] }[];
try {
  const all = await streamTexts(runtime, [...real.texts, ...near.texts], (done, total) => done % 1024 === 0 || done === total ? log(`embedded ${done}/${total} distinct texts`) : undefined);
  streams = [
    { name: 'real stream', items: all.slice(0, real.texts.length) },
    { name: 'real + near-duplicates', items: all.slice(real.texts.length) },
  ];
} finally {
  await runtime.close();
}

/** Per kind of made near-duplicate, at this τ: texts served and their worst served cosine. */
const KIND_THRESHOLD = 0.95;
const byKind: string[] = [`| sketch | ${NEAR_DUPLICATE_KINDS.map((k) => `${k}: served / made, min cosine`).join(' | ')} | real texts: served, min cosine |`, `| --- |${' --- |'.repeat(NEAR_DUPLICATE_KINDS.length + 1)}`];
const lines = ['| data | sketch | exact tiers hit rate | τ | near hits | hit-rate gain | served cosine mean | p1 | min |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
for (const { name, items } of streams) {
  for (const sketcher of SKETCHERS) {
    const kinds = name === 'real stream' ? undefined : near.kinds;
    const served = new Map<string, number[]>();
    const onLookup = (i: number, similarity: number, cosine: number): void => {
      if (similarity < KIND_THRESHOLD) return;
      const kind = kinds?.[i] ?? 'real';
      served.get(kind)?.push(cosine) ?? served.set(kind, [cosine]);
    };
    const result = simulateNearDuplicates(sketcher, items, THRESHOLDS, { k: K, open: (d) => openVectorIndex(d, log), onLookup });
    if (kinds) {
      const cell = (kind: string, made?: number): string => {
        const c = served.get(kind) ?? [];
        return `${c.length}${made === undefined ? '' : ` / ${made}`}, ${c.length ? Math.min(...c).toFixed(3) : '—'}`;
      };
      byKind.push(`| ${sketcher.id} | ${NEAR_DUPLICATE_KINDS.map((k) => cell(k, kinds.filter((x) => x === k).length)).join(' | ')} | ${cell('real')} |`);
    }
    const exact = `${pct(result.textHits / result.texts)} + ${pct(result.tokenHits / result.texts)}`;
    for (const r of result.rows) lines.push(`| ${name} (${result.texts}) | ${sketcher.id} | ${exact} | ${r.threshold} | ${r.hits} | +${pct(r.hitRateGain)} | ${cos(r.cosine?.mean)} | ${cos(r.cosine?.p1)} | ${cos(r.cosine?.min)} |`);
    log(lines.at(-1)!);
  }
}

// Sketch time per text (machine-dependent: read it on a quiet machine only).
const windows = streams[1]!.items.map((s) => s.window);
const timing = ['| sketch | µs per text (mean over the stream) |', '| --- | --- |'];
for (const sketcher of SKETCHERS) {
  for (const w of windows.slice(0, 200)) sketcher.sketch(w);
  const started = performance.now();
  for (const w of windows) sketcher.sketch(w);
  timing.push(`| ${sketcher.id} | ${(((performance.now() - started) * 1000) / windows.length).toFixed(1)} |`);
}
console.log(lines.join('\n'));
console.log();
console.log(`Near-duplicates served at τ = ${KIND_THRESHOLD}, by how they were made (real + near-duplicates):\n`);
console.log(byKind.join('\n'));
console.log();
console.log(timing.join('\n'));
