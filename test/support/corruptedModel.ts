import { cp, mkdtemp, open, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCacheDir } from './runtime.js';

/**
 * A cache dir of its own whose model directory links every file of the pulled `model` except
 * `corrupted` (a graph such as `onnx/model.onnx`), which is a copy with one byte flipped deep
 * inside the weights: the file still parses as ONNX and would load and answer garbage, which is
 * exactly the case a size or header check misses. The shared model directory is never written.
 */
export async function cacheWithCorruptedModel(model: string, corrupted: string): Promise<string> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'embedline-corrupted-'));
  const source = join(testCacheDir(), 'models', model);
  const target = join(cacheDir, 'models', model);
  await cp(source, target, { recursive: true, filter: (path) => !path.endsWith('.onnx') });
  for (const file of await readdir(join(source, 'onnx'))) {
    if (`onnx/${file}` !== corrupted) await symlink(join(source, 'onnx', file), join(target, 'onnx', file));
  }
  await cp(join(source, corrupted), join(target, corrupted));
  const handle = await open(join(target, corrupted), 'r+');
  try {
    const at = Math.floor((await handle.stat()).size * 0.6);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
  return cacheDir;
}
