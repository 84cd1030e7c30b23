import type { CacheConfig } from '../config.js';
import { FileSnapshotStore } from './FileSnapshotStore.js';
import { parseS3Url, S3SnapshotStore } from './S3SnapshotStore.js';
import type { SnapshotStore } from './SnapshotStore.js';

/** The store `snapshot` names (the schema allows at most one of path, url, s3), or undefined: snapshots off. */
export function openSnapshotStore(snapshot: CacheConfig['snapshot']): SnapshotStore | undefined {
  if (snapshot.path) return new FileSnapshotStore(snapshot.path);
  if (snapshot.s3) return S3SnapshotStore.create(snapshot.s3);
  const target = snapshot.url ? parseS3Url(snapshot.url) : undefined;
  return target ? S3SnapshotStore.create(target) : undefined;
}
