import { FileSnapshotStore } from './FileSnapshotStore.js';
import { decodeSnapshot, encodeSnapshot, type SnapshotEntry } from './snapshotCodec.js';

export type { SnapshotEntry } from './snapshotCodec.js';

/**
 * Writes entries to `path` atomically (a temporary file renamed over it), so a crash mid-write
 * leaves the previous snapshot. The layout is snapshotCodec's.
 *
 * @example
 * await writeSnapshot('/var/cache/embedline/cache.snapshot', [['t:5d0c…', vector, 3_600_000]], 384);
 */
export async function writeSnapshot(path: string, entries: readonly SnapshotEntry[], dimensions: number, wallNow = Date.now()): Promise<void> {
  await new FileSnapshotStore(path).write(encodeSnapshot(entries, dimensions, [], wallNow));
}

/**
 * Reads a snapshot file's entries, leaving out those expired by `wallNow`: `undefined` when there
 * is none yet; throws a message saying what is wrong when the file is not a snapshot, is cut
 * short, or holds vectors of another size (the caller logs it and starts empty).
 */
export async function readSnapshot(path: string, dimensions: number, wallNow = Date.now()): Promise<SnapshotEntry[] | undefined> {
  const bytes = await new FileSnapshotStore(path).read();
  return bytes ? decodeSnapshot(bytes, dimensions, path, wallNow).entries : undefined;
}
