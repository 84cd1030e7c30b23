import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnapshot } from '../../../plugins/cache/snapshot/snapshotFile.js';
import { startLiveServer } from '../observability/support/liveServer.js';

describe('embedline serve with the cache: SIGTERM writes the last snapshot', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-cache-sigterm-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds what the server computed after SIGTERM, although the interval never came round', async () => {
    const snapshotPath = join(dir, 'cache.snapshot');
    const configFile = join(dir, 'embedline.json');
    // An hour between interval snapshots: only the shutdown hook can have written the file.
    await writeFile(configFile, JSON.stringify({ plugins: ['cache'], encoder: { workers: 1 }, pluginOptions: { cache: { snapshot: { path: snapshotPath, intervalMs: 3_600_000 } } } }));
    const server = await startLiveServer({ EMBEDLINE_CONFIG: configFile });
    try {
      const response = await fetch(`${server.base}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'all-MiniLM-L6-v2', input: ['Computed just before SIGTERM.', 'And this one.'] }),
      });
      expect(response.status).to.equal(200);
      expect(await readSnapshot(snapshotPath, 384)).to.equal(undefined);
    } finally {
      await server.stop(); // SIGTERM, then waits for the exit
    }

    const entries = await readSnapshot(snapshotPath, 384);
    expect(entries, 'a text key and a token key per text').to.have.length(4);
  });
});
