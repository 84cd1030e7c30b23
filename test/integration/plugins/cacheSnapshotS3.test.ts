import { expect } from 'chai';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { decodeSnapshot } from '../../../plugins/cache/snapshot/snapshotCodec.js';
import { startS3Server, type LocalS3 } from '../../support/s3Server.js';
import { startCachedRuntime } from './cacheSupport.js';

/** The SDK's default credential chain reads these; moto takes any. */
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };

describe('cache plugin snapshots in S3 (a real S3-compatible server) and the shutdown hook', () => {
  let s3: LocalS3;
  let bucket: string;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    for (const [name, value] of Object.entries(CREDENTIALS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    s3 = await startS3Server();
    bucket = await s3.createBucket('embedline-cache');
  });

  after(async () => {
    await s3?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const target = (key: string) => ({ s3: { bucket, key, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true } });

  it('writes the last snapshot when the runtime closes, and a cold start serves it: same vectors, no model work', async () => {
    const snapshot = target('warm/cache.snapshot');
    const texts = ['Cold start, warm cache.', 'Written on shutdown, not on the interval.'];
    const before = await startCachedRuntime({ snapshot });
    let computed: Float32Array[];
    try {
      expect(before.logLines).to.deep.equal([`cache: no snapshot at s3://${bucket}/warm/cache.snapshot yet, starting empty`]);
      computed = (await before.runtime.pipeline.embed(texts)).vectors.map((v) => v.values);
    } finally {
      await before.runtime.close(); // no save() by hand: the plugin's shutdown hook writes it
    }
    const object = await s3.client().send(new GetObjectCommand({ Bucket: bucket, Key: 'warm/cache.snapshot' }));
    const { entries } = decodeSnapshot(await object.Body!.transformToByteArray(), computed[0]!.length, 'object');
    expect(entries).to.have.length(4); // text key and token key per text

    const after = await startCachedRuntime({ snapshot });
    try {
      const result = await after.runtime.pipeline.embed(texts);

      expect(result.sources).to.deep.equal(['cache', 'cache']);
      result.vectors.forEach((v, i) => expect(Array.from(v.values)).to.deep.equal(Array.from(computed[i]!)));
      expect(after.modelTexts()).to.equal(0);
      expect(after.logLines).to.deep.equal([]);
    } finally {
      await after.close();
    }
  });

  it('computes a text repeated within one request once; every occurrence gets the same vector bit for bit', async () => {
    const runtime = await startCachedRuntime();
    try {
      const result = await runtime.runtime.pipeline.embed(['Said twice in one request.', 'Said once.', 'Said twice in one request.']);

      expect(runtime.modelTexts()).to.equal(2);
      expect(Array.from(result.vectors[2]!.values)).to.deep.equal(Array.from(result.vectors[0]!.values));
      expect(result.sources).to.deep.equal(['computed', 'computed', 'computed']);
    } finally {
      await runtime.close();
    }
  });

  it('with S3 down: starts empty with one log line, serves requests, and close() still resolves (the hook\'s failure is a warning)', async () => {
    const down = { s3: { bucket, key: 'down/cache.snapshot', region: 'us-east-1', endpoint: 'http://127.0.0.1:1', forcePathStyle: true } };
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    const runtime = await startCachedRuntime({ snapshot: down });
    try {
      expect(runtime.logLines).to.have.length(1);
      expect(runtime.logLines[0]).to.match(/^cache: snapshot s3:\/\/embedline-cache\/down\/cache\.snapshot not loaded, starting empty: .*ECONNREFUSED/);
      const result = await runtime.runtime.pipeline.embed(['Served while S3 is down.']);
      expect(result.sources).to.deep.equal(['computed']);
    } finally {
      await runtime.runtime.close();
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.startsWith('shutdown hook "cache" failed'))).to.have.length(1);
  });
});
