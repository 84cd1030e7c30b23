import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { MessageFailure, ResultFormat } from '../../core/ports/ResultSink.js';
import { ObjectResultSink } from './ObjectResultSink.js';

/**
 * Results as local files, `<dir>/<id>.jsonl` (or `.npy`), and failures appended to
 * `<dir>/failures/failures.jsonl` for a person to read.
 *
 * A result is written to a hidden temporary file, fsynced, renamed over the final name and the
 * directory fsynced: readers never see half a file, and once `write` resolves the result
 * survives a crash, so the message may be deleted. A `.*.tmp` left by a killed worker is safe to delete.
 *
 * @example
 * const sink = new FileResultSink('embedline-results', 'jsonl');
 * await sink.write(result); // embedline-results/<id>.jsonl
 */
export class FileResultSink extends ObjectResultSink {
  readonly kind = 'file';
  private readonly dir: string;

  constructor(dir: string, format: ResultFormat) {
    super(format);
    this.dir = resolve(dir);
  }

  protected async putObject(key: string, body: Buffer): Promise<string> {
    const path = join(this.dir, key);
    const tmp = join(this.dir, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await mkdir(this.dir, { recursive: true });
    try {
      await writeDurably(tmp, body);
      await rename(tmp, path);
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw error;
    }
    await syncDirectory(this.dir);
    return path;
  }

  override async recordFailure(failure: MessageFailure): Promise<void> {
    try {
      const dir = join(this.dir, 'failures');
      await mkdir(dir, { recursive: true });
      // One small O_APPEND write per line: lines from concurrent workers do not interleave.
      await appendFile(join(dir, 'failures.jsonl'), `${JSON.stringify(failure)}\n`);
    } catch {
      // Best effort by contract: the caller has already logged the failure.
    }
  }
}

async function writeDurably(path: string, body: Buffer): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writeFile(body);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** A rename is durable only once the directory entry is on disk too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
