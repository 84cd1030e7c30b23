import { expect } from 'chai';
import { Redis } from 'ioredis';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.js';
import { startRedis, type LocalRedis } from '../../support/redis.js';

describe('cache plugin in a one-shot CLI command', () => {
  let dir: string;
  let redis: LocalRedis;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-cache-cli-'));
    await writeFile(join(dir, 'in.txt'), 'first line to embed\nsecond line to embed\n');
    redis = await startRedis();
  });

  after(async () => {
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function embedWithRedisAt(url: string, out: string): Promise<{ code: number | null; stderr: string; lines: number }> {
    const config = join(dir, `config-${out}.json`);
    await writeFile(config, JSON.stringify({ plugins: ['cache'], pluginOptions: { cache: { redis: { url } } } }));
    const result = await runCli(['embed', join(dir, 'in.txt'), '-o', join(dir, out)], { EMBEDLINE_CONFIG: config });
    const lines = (await readFile(join(dir, out), 'utf8')).trim().split('\n').length;
    return { code: result.code, stderr: result.stderr, lines };
  }

  // Core has no shutdown hook for plugins, so the open Redis connection must not hold the process.
  it('exits when done while connected to Redis, having written the vectors there', async () => {
    const result = await embedWithRedisAt(redis.url, 'up.jsonl');

    const client = new Redis(redis.url);
    const keys = await client.dbsize();
    client.disconnect();
    expect(result.code).to.equal(0);
    expect(result.lines).to.equal(2);
    expect(keys).to.equal(4); // a text key and a token key per text
  });

  it('exits when done while Redis is unreachable and it keeps trying to reconnect', async () => {
    const gone = await startRedis();
    await gone.stop();

    const result = await embedWithRedisAt(gone.url, 'down.jsonl');

    expect(result.code).to.equal(0);
    expect(result.lines).to.equal(2);
    expect(result.stderr).to.match(/Redis at 127\.0\.0\.1:\d+ unreachable/);
  });
});
