import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A small tmpfs of its own, so a test can make a results directory read-only or full without
 * touching any other filesystem. Root ignores permission bits, so chmod cannot make a directory
 * unwritable for a test run as root (CI here runs as root); a read-only remount and a full
 * filesystem are refused by the kernel to root too. Needs CAP_SYS_ADMIN (root outside a
 * restricted container); {@link mountTinyFilesystem} says why when it cannot mount.
 */
export interface TinyFilesystem {
  readonly dir: string;
  readOnly(): Promise<void>;
  writable(): Promise<void>;
  /** Fills every free byte with one file (ENOSPC for the next write); returns its size. */
  fill(): Promise<number>;
  /** Deletes the filler. */
  unfill(): Promise<void>;
  unmount(): Promise<void>;
}

export async function mountTinyFilesystem(sizeMiB: number): Promise<TinyFilesystem | { unavailable: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'embedline-tinyfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0755`, 'tmpfs', dir]);
  } catch (error) {
    await rmdir(dir).catch(() => undefined);
    return { unavailable: `cannot mount a tmpfs (needs root with CAP_SYS_ADMIN): ${(error as Error).message.split('\n')[0]}` };
  }
  const filler = join(dir, '.filler');
  // A remount fails with EBUSY while a file is open for writing; the worker writes in bursts.
  const remount = async (mode: 'ro' | 'rw'): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await run('mount', ['-o', `remount,${mode}`, dir]);
        return;
      } catch (error) {
        if (attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  return {
    dir,
    readOnly: () => remount('ro'),
    writable: () => remount('rw'),
    async fill() {
      const handle = await open(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024);
      let written = 0;
      try {
        for (;;) written += (await handle.write(chunk)).bytesWritten;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        await handle.close();
      }
      // The last partial chunk may leave a few bytes; a small write must fail too.
      for (const size of [4096, 512, 1]) {
        try {
          const h = await open(join(dir, `.filler-${size}`), 'w');
          try {
            while ((await h.write(Buffer.alloc(size))).bytesWritten > 0) written += size;
          } finally {
            await h.close();
          }
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        }
      }
      return written;
    },
    async unfill() {
      await Promise.all([filler, ...[4096, 512, 1].map((s) => join(dir, `.filler-${s}`))].map((f) => rm(f, { force: true })));
    },
    async unmount() {
      await run('umount', ['-l', dir]).catch(() => undefined);
      await rmdir(dir).catch(() => undefined);
    },
  };
}
