/**
 * The slo-tracker's overhead on the pipeline: requests/s of short single-text requests through
 * `pipeline.embed`, plugin off vs on, alternating arms within one run (off,on / on,off …) so drift
 * hits both alike; plus the tracker's own per-request and per-scrape cost measured alone.
 * Prints a markdown report; writes JSON under `<cacheDir>/bench/`. See docs/BENCHMARKS.md.
 *
 * Run: `npm run bench:slo` or `node dist/bench/plugins/slo-tracker/runSloOverheadBench.js
 *      [--seconds 10] [--rounds 6] [--concurrency 32] [--quiet-wait 60]` (after `npx tsc -p .`)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../core/config/loadConfig.js';
import { startEmbedline } from '../../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { startCpuMeter, waitForQuiet } from '../../encoder/cpuMeter.js';
import { closedLoop, shortTexts } from './closedLoop.js';
import { renderOverheadReport, type Arm, type Measured } from './overheadReport.js';
import { measureTrackerCosts } from './trackerMicrobench.js';

const ARMS: Readonly<Record<Arm, readonly string[]>> = { off: [], on: ['slo-tracker'] };
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function measureArm(arm: Arm, round: number, options: { seconds: number; concurrency: number; quietWaitMs: number }): Promise<Measured> {
  await waitForQuiet(0.1, options.quietWaitMs, log);
  const base = loadConfig(process.env);
  const runtime = await startEmbedline(Object.freeze({ ...base, plugins: [...ARMS[arm]] }), PLUGIN_CATALOGUE);
  try {
    const texts = shortTexts();
    await closedLoop(runtime.pipeline, texts, options.concurrency, 2);
    const meter = startCpuMeter();
    const result = await closedLoop(runtime.pipeline, texts, options.concurrency, options.seconds);
    const measured = { ...result, arm, round, foreignCpu: meter.foreignShare() };
    log(`  round ${round} ${arm.padEnd(3)}: ${result.requestsPerSecond.toFixed(1)} req/s, ${result.cpuMsPerRequest.toFixed(3)} CPU ms/request, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, others used ${(measured.foreignCpu * 100).toFixed(0)}% CPU`);
    return measured;
  } finally {
    await runtime.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '6' }, concurrency: { type: 'string', default: '32' }, 'quiet-wait': { type: 'string', default: '60' } } });
  const options = { seconds: Number(values.seconds), concurrency: Number(values.concurrency), quietWaitMs: Number(values['quiet-wait']) * 1000 };
  const rounds = Number(values.rounds);
  log(`slo-tracker overhead: ${rounds} rounds × (off, on), ${options.seconds} s each, ${options.concurrency} concurrent single-text requests`);
  const runs: Measured[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: Arm[] = round % 2 === 1 ? ['off', 'on'] : ['on', 'off'];
    for (const arm of order) runs.push(await measureArm(arm, round, options));
  }
  log('tracker alone:');
  const costs = await measureTrackerCosts();
  const report = renderOverheadReport(runs, costs, options);
  process.stdout.write(`${report}\n`);
  const dir = join(loadConfig(process.env).cacheDir, 'bench');
  await mkdir(dir, { recursive: true });
  const json = JSON.stringify({ when: new Date().toISOString(), options: { ...options, rounds }, runs, costs }, null, 2);
  await writeFile(join(dir, `slo-tracker-${Date.now()}.json`), json);
  await writeFile(join(dir, 'slo-tracker-latest.json'), json);
}

await main();
