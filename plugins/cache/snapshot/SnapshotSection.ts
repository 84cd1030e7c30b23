/**
 * The extension point for parts of the cache that are not exact-tier entries — the near-duplicate
 * tier's sketch index, the /v1/search index — to be saved with the snapshot and restored from it.
 * Register one with `CacheSnapshots.register()` (reach it as `CacheStage.snapshots`, undefined
 * when snapshots are off). Its bytes are written after the exact tier's entries under its name,
 * every time a snapshot is written; on a cold start, `restore()` gets the bytes saved under that
 * name, whether the section registered before or after the snapshot was loaded (they are kept
 * until it does). A section that cannot restore its bytes should throw: the failure is logged
 * and that section starts empty; the others and the exact tier are unaffected.
 *
 * A part that is only derived from the exact tier (an index over its vectors) need not save
 * anything: register `{ name, save: () => new Uint8Array(), restore: () => rebuildFrom(cache) }`
 * to be told when the entries are back.
 *
 * @example
 * stage.snapshots?.register({ name: 'search', save: () => index.serialize(), restore: (bytes) => index.load(bytes) });
 */
export interface SnapshotSection {
  /** Unique within the snapshot; changing it orphans what older snapshots saved under the old name. */
  readonly name: string;
  save(): Uint8Array | Promise<Uint8Array>;
  restore(bytes: Uint8Array): void | Promise<void>;
}
