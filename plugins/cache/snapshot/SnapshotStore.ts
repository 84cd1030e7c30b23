/**
 * Where a cache snapshot's bytes live: a local file or an S3 object. A store only moves bytes;
 * what they hold is snapshotCodec's business. `read()` resolves `undefined` when there is no
 * snapshot yet (first start); any other failure rejects and the caller logs it and starts empty.
 */
export interface SnapshotStore {
  /** For log lines: a path or `s3://bucket/key`. */
  readonly location: string;
  read(): Promise<Uint8Array | undefined>;
  /** Replaces the snapshot as a whole: a reader sees the old one or the new one, never a mix. */
  write(bytes: Uint8Array): Promise<void>;
  /** Releases connections (the S3 client); the store is not used afterwards. */
  close?(): void;
}
