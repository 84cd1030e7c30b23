import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SnapshotStore } from './SnapshotStore.js';

/**
 * A snapshot in a local file, written to a temporary file and renamed over it, so a crash
 * mid-write keeps the previous snapshot.
 *
 * @example
 * const store = new FileSnapshotStore('/var/cache/embedline/cache.snapshot');
 */
export class FileSnapshotStore implements SnapshotStore {
  constructor(readonly location: string) {}

  async read(): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.location);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    await mkdir(dirname(this.location), { recursive: true });
    const temporary = `${this.location}.${process.pid}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, this.location);
  }
}
