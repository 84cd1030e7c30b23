import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One result file: the vectors of a message, in text order. */
export interface StoredResult {
  readonly id: string;
  readonly vectors: Float32Array[];
  readonly metadata?: Record<string, unknown>;
}

/** Result ids in a file-sink directory (skipping temporary files and the failures folder). */
export async function resultIds(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.jsonl') && !n.startsWith('.')).map((n) => n.slice(0, -'.jsonl'.length));
}

export async function readResult(dir: string, id: string): Promise<StoredResult> {
  const lines = (await readFile(join(dir, `${id}.jsonl`), 'utf8')).trim().split('\n');
  const rows = lines.map((l) => JSON.parse(l) as { id: string; index: number; embedding: number[]; metadata?: Record<string, unknown> });
  rows.forEach((row, i) => {
    if (row.id !== id || row.index !== i) throw new Error(`${id}.jsonl line ${i} is ${row.id}#${row.index}`);
  });
  return { id, vectors: rows.map((r) => Float32Array.from(r.embedding)), metadata: rows[0]?.metadata };
}

export interface FailureLine {
  readonly messageId: string;
  readonly id?: string;
  readonly reason: string;
  readonly message: string;
  readonly receiveCount: number;
}

export async function readFailures(dir: string): Promise<FailureLine[]> {
  const text = await readFile(join(dir, 'failures', 'failures.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as FailureLine);
}
