import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256File } from '../fileDigest.js';

const run = promisify(execFile);
const STAMP = 'embedline-requirements.sha256';

/**
 * A virtual environment holding exactly one pinned requirements file. The file's sha256 is
 * stamped into the venv once pip succeeds, so later calls cost a file read, and a changed pin (or
 * a half-finished install) rebuilds it from scratch instead of upgrading in place.
 *
 * @example
 * const python = await ensureVenv('/root/.cache/embedline/venv-optimize', 'scripts/model-optimize/requirements.txt');
 */
export async function ensureVenv(dir: string, requirements: string, log: (line: string) => void = () => {}, basePython = 'python3'): Promise<string> {
  const python = join(dir, 'bin', 'python');
  const wanted = await sha256File(requirements);
  const stamped = await readFile(join(dir, STAMP), 'utf8').catch(() => '');
  if (stamped.trim() === wanted) return python;
  log(`creating ${dir} and installing ${requirements} with pip (once)`);
  await rm(dir, { recursive: true, force: true });
  await exec(basePython, ['-m', 'venv', dir]);
  await exec(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '-r', requirements]);
  await writeFile(join(dir, STAMP), `${wanted}\n`);
  return python;
}

async function exec(file: string, args: string[]): Promise<void> {
  try {
    await run(file, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${stderr?.trim() || (error as Error).message}`, { cause: error });
  }
}
