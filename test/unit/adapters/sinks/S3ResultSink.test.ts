import { expect } from 'chai';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ResultSink } from '../../../../adapters/sinks/S3ResultSink.js';
import { S3PutRecorder } from '../../../doubles/S3PutRecorder.js';
import { result } from './resultFixture.js';

describe('S3ResultSink', () => {
  let s3: S3PutRecorder;
  let client: S3Client;

  before(async () => {
    s3 = await S3PutRecorder.start();
    client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  after(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('puts one object per id under the prefix, with its content type, and returns its s3:// URI', async () => {
    const sink = new S3ResultSink(client, 'bucket', 'results/', 'jsonl');

    const { location } = await sink.write(result());

    const put = s3.puts.at(-1)!;
    expect(location).to.equal('s3://bucket/results/doc-1.jsonl');
    expect(put.path).to.equal('/bucket/results/doc-1.jsonl');
    expect(put.headers['content-type']).to.equal('application/x-ndjson');
    expect(put.body.toString().trim().split('\n')).to.have.length(3);
  });

  it('stores .npy with the id and model as object metadata', async () => {
    const sink = new S3ResultSink(client, 'bucket', 'results/', 'npy');

    await sink.write(result());

    const put = s3.puts.at(-1)!;
    expect(put.path).to.equal('/bucket/results/doc-1.npy');
    expect(put.headers['x-amz-meta-embedline-id']).to.equal('doc-1');
    expect(put.headers['x-amz-meta-embedline-model']).to.equal('all-MiniLM-L6-v2');
  });
});
