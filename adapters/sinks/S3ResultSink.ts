import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EmbeddingResult, ResultFormat } from '../../core/ports/ResultSink.js';
import { ObjectResultSink } from './ObjectResultSink.js';

/** The one S3 call this sink makes, so tests and callers can pass anything that sends it. */
export type S3Sender = Pick<S3Client, 'send'>;

/**
 * Results as S3 objects `s3://<bucket>/<prefix><id>.jsonl` (or `.npy`). PutObject is atomic and
 * durable once it returns, and a redelivered message overwrites the same key. `.npy` objects carry
 * the id and model as object metadata, since the array itself has no room for them.
 *
 * @example
 * const sink = new S3ResultSink(new S3Client({}), 'my-bucket', 'results/', 'jsonl');
 * await sink.write(result); // { location: 's3://my-bucket/results/<id>.jsonl' }
 */
export class S3ResultSink extends ObjectResultSink {
  readonly kind = 's3';

  constructor(
    private readonly s3: S3Sender & { destroy?(): void },
    private readonly bucket: string,
    private readonly prefix: string,
    format: ResultFormat,
  ) {
    super(format);
  }

  protected async putObject(key: string, body: Buffer, contentType: string, result: EmbeddingResult): Promise<string> {
    const objectKey = `${this.prefix}${key}`;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: body,
        ContentType: contentType,
        Metadata: { 'embedline-id': result.id, 'embedline-model': result.model, 'embedline-texts': String(result.vectors.length) },
      }),
    );
    return `s3://${this.bucket}/${objectKey}`;
  }

  override async close(): Promise<void> {
    this.s3.destroy?.();
  }
}
