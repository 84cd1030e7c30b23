import { GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { SnapshotStore } from './SnapshotStore.js';

/** The calls this store makes, so a test can pass any client that sends them. */
export type S3SnapshotClient = Pick<S3Client, 'send'> & { destroy?(): void };

/** How long one S3 call may take before the store gives up (a cold start must not hang on S3). */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A snapshot as one S3 object. PutObject replaces the object atomically, so a reader gets the
 * old snapshot or the new one. A missing object reads as "no snapshot yet"; a missing bucket is an error.
 *
 * @example
 * const store = S3SnapshotStore.create({ bucket: 'embedline-cache', key: 'snapshots/cache.snapshot' });
 */
export class S3SnapshotStore implements SnapshotStore {
  readonly location: string;

  constructor(
    private readonly s3: S3SnapshotClient,
    private readonly bucket: string,
    private readonly key: string,
  ) {
    this.location = `s3://${bucket}/${key}`;
  }

  /** With the SDK's default credentials and region (the task's or Lambda's role) unless given. */
  static create(target: { bucket: string; key: string; region?: string | undefined; endpoint?: string | undefined; forcePathStyle?: boolean | undefined }, client: S3ClientConfig = {}): S3SnapshotStore {
    const config: S3ClientConfig = {
      ...(target.region ? { region: target.region } : {}),
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      ...(target.forcePathStyle ? { forcePathStyle: true } : {}),
      requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: REQUEST_TIMEOUT_MS },
      ...client,
    };
    return new S3SnapshotStore(new S3Client(config), target.bucket, target.key);
  }

  async read(): Promise<Uint8Array | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw error;
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: bytes, ContentType: 'application/octet-stream' }));
  }

  close(): void {
    this.s3.destroy?.();
  }
}

/** `s3://bucket/key` → its parts; undefined for anything else. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
}
