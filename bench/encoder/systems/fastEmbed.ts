import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ModelInfo } from '../../../core/model/modelInfo.js';
import { inputOrderBatches } from '../modelFlops.js';
import { summarizeRuns, type PassGuard } from '../timing.js';
import { splitRows, type BenchSystem, type SystemResult } from './BenchSystem.js';

const BATCH = 32;
/** FastEmbed truncates at the smaller of tokenizer_config.json's model_max_length / max_length: 512 here. */
const TRUNCATES_AT = 512;
// The .py file is not compiled: from dist/bench/encoder/systems/ back to the source tree.
const RUNNER = fileURLToPath(new URL('../../../../bench/encoder/fastembedRunner.py', import.meta.url));

export interface FastEmbedSetup {
  /** The venv with `fastembed` installed (bench/README.md says how to make it). */
  readonly venv: string;
  readonly threads: number;
  /** Scratch prefix for the runner's JSON and vectors. */
  readonly outPrefix: string;
}

/**
 * Qdrant's FastEmbed (Python, onnxruntime) on the same local files, in a child process: one
 * session with `threads` intra-op threads, `embed(texts, batch_size=32)` in input order.
 * Skipped, with the reason, when the venv is missing.
 *
 * @example
 * const system = fastEmbedSystem(model, { venv: '~/.cache/embedline/bench-venv', threads: 2, outPrefix });
 */
export function fastEmbedSystem(model: ModelInfo, setup: FastEmbedSetup): BenchSystem {
  return {
    id: 'fastembed-fp32',
    label: `FastEmbed (Python) fp32, input order, batches of ${BATCH}`,
    config: `1 session × ${setup.threads} threads`,
    precision: 'fp32',
    measure: (sample, runs, guard) => measure(model, setup, sample.file, sample.lengths(TRUNCATES_AT), runs, guard),
  };
}

async function measure(model: ModelInfo, setup: FastEmbedSetup, corpus: string, lengths: number[], runs: number, guard: PassGuard): Promise<SystemResult> {
  const python = join(setup.venv, 'bin', 'python');
  if (!existsSync(python)) {
    return { kind: 'skipped', reason: `no Python venv at ${setup.venv}; create it as bench/README.md shows (python3 -m venv, then pip install fastembed)` };
  }
  const args = [RUNNER, '--model-dir', model.dir, '--corpus', corpus, '--runs', String(runs), '--batch-size', String(BATCH)];
  args.push('--threads', String(setup.threads), '--out', setup.outPrefix, '--max-foreign', String(guard.maxForeign), '--max-passes', String(guard.maxPasses));
  try {
    await promisify(execFile)(python, args, { maxBuffer: 16 * 2 ** 20 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' | ');
    return { kind: 'skipped', reason: `the FastEmbed runner failed: ${stderr || (error as Error).message}` };
  }
  const report = JSON.parse(await readFile(`${setup.outPrefix}.json`, 'utf8')) as { times_ms: number[]; discarded: number; foreign: number; versions: Record<string, string> };
  const raw = await readFile(`${setup.outPrefix}.f32`);
  const block = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return {
    kind: 'measured',
    ms: summarizeRuns(report.times_ms),
    discarded: report.discarded,
    foreign: report.foreign,
    vectors: splitRows(block, model.dimensions),
    batches: inputOrderBatches(lengths, BATCH),
    maxTokens: TRUNCATES_AT,
    versions: Object.fromEntries(Object.entries(report.versions).map(([name, v]) => [`python ${name}`, v])),
  };
}
