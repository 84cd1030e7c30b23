import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A config file pointing the cache at `redisUrl` (plugin sections have no env overrides). */
export async function writeCacheConfig(redisUrl: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'embedline-cache-bench-')), 'embedline.config.json');
  await writeFile(file, JSON.stringify({ pluginOptions: { cache: { redis: { url: redisUrl } } } }));
  return file;
}
