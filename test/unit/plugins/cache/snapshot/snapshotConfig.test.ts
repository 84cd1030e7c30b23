import { expect } from 'chai';
import { loadConfig } from '../../../../../core/config/loadConfig.js';
import { cacheConfigSchema } from '../../../../../plugins/cache/config.js';
import { openSnapshotStore } from '../../../../../plugins/cache/snapshot/openSnapshotStore.js';

describe('cache snapshot and shared-tier settings', () => {
  it('take the Redis URL and an s3:// snapshot URL from the environment (as infra-cdk sets them)', () => {
    const config = loadConfig({ EMBEDLINE_PLUGINS: 'cache', EMBEDLINE_CACHE_REDIS_URL: 'rediss://cache.example:6379', EMBEDLINE_CACHE_SNAPSHOT_URL: 's3://snapshots-bucket/cache/embedline.snapshot' }, undefined, '/');
    const cache = cacheConfigSchema.parse(config.pluginOptions.cache);

    expect(cache.redis.url).to.equal('rediss://cache.example:6379');
    const store = openSnapshotStore(cache.snapshot);
    expect(store?.location).to.equal('s3://snapshots-bucket/cache/embedline.snapshot');
    store?.close?.();
  });

  it('open a file store for path and none when nothing is set', () => {
    expect(openSnapshotStore(cacheConfigSchema.parse({ snapshot: { path: '/tmp/x.snapshot' } }).snapshot)?.location).to.equal('/tmp/x.snapshot');
    expect(openSnapshotStore(cacheConfigSchema.parse({}).snapshot)).to.equal(undefined);
  });

  it('refuse two stores at once and a snapshot URL that is not s3://bucket/key', () => {
    const two = cacheConfigSchema.safeParse({ snapshot: { path: '/tmp/x', url: 's3://b/k' } });
    const bad = cacheConfigSchema.safeParse({ snapshot: { url: 's3://bucket-only' } });

    expect(two.success).to.equal(false);
    expect(two.error!.issues[0]!.message).to.equal('set one of path, url or s3');
    expect(bad.success).to.equal(false);
    expect(bad.error!.issues[0]!.message).to.equal('expected s3://bucket/key');
  });
});
