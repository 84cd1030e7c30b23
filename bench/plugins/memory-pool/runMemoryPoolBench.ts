/**
 * Memory pool on vs off, in one run. Two measurements per mode, each in its own process (so
 * peak RSS belongs to one mode): the allocator alone replaying the corpus's batch shapes
 * (allocatorReplay), and the corpus through real inference workers (memoryPoolTrial). Rounds
 * rotate the mode order so drift hits every mode alike; each trial waits for a quiet moment.
 * Prints markdown tables; writes `<cacheDir>/bench/memory-pool-<time>.json` and `-latest.json`.
 *
 * Run (after `npx tsc -p .`): `node dist/bench/plugins/memory-pool/runMemoryPoolBench.js
 *   [--size 512] [--seed 42] [--rounds 3] [--passes 2] [--repeat 50] [--quiet-wait 300]`
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { env as ortEnv } from 'onnxruntime-node';
import { loadConfig } from '../../../core/config/loadConfig.js';
import { buildCorpus } from '../../corpus/buildCorpus.js';
import { startCpuMeter, waitForQuiet } from '../../encoder/cpuMeter.js';
import { MEMORY_POOL_MODES, type MemoryPoolMode, type ReplayResult, type TrialResult } from './modes.js';
import { renderInferenceTable, renderReplayTable, summarizeInference, summarizeReplay } from './summarizeTrials.js';

const TRIAL = fileURLToPath(new URL('./memoryPoolTrial.js', import.meta.url));
const REPLAY = fileURLToPath(new URL('./allocatorReplay.js', import.meta.url));
const QUIET_THRESHOLD = 0.1;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '512' },
      seed: { type: 'string', default: '42' },
      rounds: { type: 'string', default: '3' },
      passes: { type: 'string', default: '2' },
      repeat: { type: 'string', default: '50' },
      'quiet-wait': { type: 'string', default: '300' },
    },
  });
  const { size, seed, rounds, passes, repeat } = values;
  await buildCorpus({ size: Number(size), seed: Number(seed) });
  const modes = Object.keys(MEMORY_POOL_MODES) as MemoryPoolMode[];
  const trials = new Map<MemoryPoolMode, { result: TrialResult; foreign: number }[]>(modes.map((m) => [m, []]));
  const replays = new Map<MemoryPoolMode, ReplayResult[]>(modes.map((m) => [m, []]));
  for (let round = 0; round < Number(rounds); round++) {
    for (const mode of rotate(modes, round)) {
      await waitForQuiet(QUIET_THRESHOLD, Number(values['quiet-wait']) * 1000, log);
      log(`round ${round + 1}/${rounds}: ${mode}`);
      replays.get(mode)!.push(await runChild<ReplayResult>(REPLAY, mode, ['--size', size!, '--seed', seed!, '--repeat', repeat!]));
      const meter = startCpuMeter();
      const result = await runChild<TrialResult>(TRIAL, mode, ['--size', size!, '--seed', seed!, '--passes', passes!]);
      trials.get(mode)!.push({ result, foreign: meter.foreignShare() });
    }
  }
  const inference = modes.map((mode) => summarizeInference(mode, trials.get(mode)!));
  const replay = modes.map((mode) => summarizeReplay(mode, replays.get(mode)!));
  const command = `node dist/bench/plugins/memory-pool/runMemoryPoolBench.js --size ${size} --seed ${seed} --rounds ${rounds} --passes ${passes} --repeat ${repeat}`;
  process.stdout.write(`${command}\n\nAllocator alone (replay of the corpus's batch shapes, ${repeat}×):\n\n${renderReplayTable(replay)}\n\nWith inference (2 workers × 1 thread):\n\n${renderInferenceTable(inference)}\n`);

  const benchDir = join(loadConfig(process.env).cacheDir, 'bench');
  await mkdir(benchDir, { recursive: true });
  const date = new Date().toISOString();
  const versions = { node: process.version, 'onnxruntime-node': ortEnv.versions.node ?? 'unknown' };
  const json = JSON.stringify({ command, date, versions, replay, inference, trials: Object.fromEntries(trials), replays: Object.fromEntries(replays) });
  await writeFile(join(benchDir, `memory-pool-${date.replace(/[:.]/g, '-')}.json`), json);
  await writeFile(join(benchDir, 'memory-pool-latest.json'), json);
}

async function runChild<T>(script: string, mode: MemoryPoolMode, args: readonly string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, [script, '--mode', mode, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
