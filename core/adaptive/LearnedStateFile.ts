import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';

/** The adaptive-state folder under `cacheDir`, shared by the learning batch plugins: `<cacheDir>/adaptive/<file>`. */
export function adaptiveStatePath(cacheDir: string, file: string): string {
  return join(cacheDir, 'adaptive', file);
}

/** Outcome of reading a learned-state file: the state, or why it was not used. */
export interface LoadedState<T> {
  readonly state?: T | undefined;
  /** Set when a file exists but could not be used. */
  readonly problem?: string | undefined;
}

/**
 * A learning plugin's state on disk as JSON. Writes go to `<file>.partial` and are renamed over
 * the file, so a crash mid-write leaves the previous state, never half of one. A file that does
 * not parse or does not match the schema is reported as a problem and ignored (the plugin
 * starts fresh); a missing file is just a first start. Shared by predictive-batch-size and
 * rl-batch-agent; files live under `adaptiveStatePath`.
 *
 * @example
 * const file = new LearnedStateFile(join(cacheDir, 'adaptive', 'x.json'), schema);
 * const loaded = await file.load();
 * await file.save({ version: 1, weights: [1, 2] });
 */
export class LearnedStateFile<T> {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  async load(): Promise<LoadedState<T>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: undefined };
      return { state: undefined, problem: `cannot read ${this.path}: ${(error as Error).message}` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { state: undefined, problem: `${this.path} is not JSON (${(error as Error).message})` };
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) return { state: undefined, problem: `${this.path} does not hold a valid state: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
    return { state: parsed.data };
  }

  /** Writes are serialised, so two saves never interleave their renames. */
  save(state: T): Promise<void> {
    const body = `${JSON.stringify(state)}\n`;
    this.writing = this.writing.catch(() => undefined).then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const partial = `${this.path}.partial`;
      await writeFile(partial, body);
      await rename(partial, this.path);
    });
    return this.writing;
  }
}
