import { expect } from 'chai';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3Server, type LocalS3 } from '../../support/s3Server.js';

describe('test support: a real S3-compatible server (moto)', () => {
  let s3: LocalS3;

  before(async () => {
    s3 = await startS3Server();
  });

  after(async () => {
    await s3?.stop();
  });

  it('stores and returns an object byte for byte in a bucket it created', async () => {
    const bucket = await s3.createBucket('support-check');
    const body = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) % 256);

    await s3.client().send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.bin', Body: body }));
    const got = await s3.client().send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.bin' }));

    expect(Array.from(await got.Body!.transformToByteArray())).to.deep.equal(Array.from(body));
    expect(await s3.createBucket('support-check')).to.equal('support-check'); // idempotent
  });

  it('comes back empty on the same port after restart()', async () => {
    await s3.createBucket('gone-after-restart');

    await s3.restart();
    const { Buckets } = await s3.client().send(new ListBucketsCommand({}));

    expect(Buckets ?? []).to.deep.equal([]);
    expect(s3.endpoint).to.equal(`http://127.0.0.1:${s3.port}`);
  });
});
