import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** When each message was handed to SQS (epoch ms), by message id. */
export type SendTimes = ReadonlyMap<string, number>;

/**
 * Waits until every id has a result file in `dir`, then returns each one's completion time: the
 * file's mtime, set when the worker wrote it (before its rename and the SQS delete).
 */
export async function completionTimes(dir: string, ids: readonly string[], timeoutMs: number): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while (done.size < ids.length) {
    if (Date.now() > deadline) throw new Error(`${ids.length - done.size} of ${ids.length} results missing after ${timeoutMs} ms`);
    for (const id of ids) {
      if (done.has(id)) continue;
      const mtime = await stat(join(dir, `${id}.jsonl`)).then((s) => s.mtimeMs, () => undefined);
      if (mtime !== undefined) done.set(id, mtime);
    }
    if (done.size < ids.length) await sleep(200);
  }
  return done;
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export function latencies(sent: SendTimes, done: ReadonlyMap<string, number>): number[] {
  return [...done].map(([id, at]) => at - sent.get(id)!);
}
