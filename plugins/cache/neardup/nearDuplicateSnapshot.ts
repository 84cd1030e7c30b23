import type { SnapshotSection } from '../snapshot/SnapshotSection.js';
import type { VectorCache } from '../VectorCache.js';
import type { NearDuplicateTier } from './NearDuplicateTier.js';

export const NEAR_DUPLICATE_SECTION = 'near-duplicate';

/**
 * The sketch index in the cache snapshot: the sketcher's id, then per entry its scope, exact key
 * and sketch bytes (lengths as u32 little-endian). On restore — after the exact tier's entries —
 * an entry comes back only if its key did (so the index still follows the LRU); a snapshot made
 * with another sketch is refused (thrown: logged, and the index starts empty).
 *
 * @example
 * stage.snapshots?.register(nearDuplicateSnapshot(tier, cache));
 */
export function nearDuplicateSnapshot(tier: NearDuplicateTier, cache: VectorCache): SnapshotSection {
  return {
    name: NEAR_DUPLICATE_SECTION,
    save: () => {
      const parts: Buffer[] = [field(Buffer.from(tier.sketcher.id))];
      for (const { scope, key, sketch } of tier.entries()) parts.push(field(Buffer.from(scope)), field(Buffer.from(key)), field(tier.sketcher.encode(sketch)));
      return Buffer.concat(parts);
    },
    restore: (bytes) => {
      const reader = new FieldReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      const id = reader.next().toString();
      if (id !== tier.sketcher.id) throw new Error(`the snapshot's near-duplicate index was made with sketch ${id}; this instance uses ${tier.sketcher.id}`);
      while (!reader.done) {
        const scope = reader.next().toString();
        const key = reader.next().toString();
        const sketch = tier.sketcher.decode(reader.next());
        if (!sketch) throw new Error('the snapshot holds a near-duplicate sketch of the wrong size');
        if (cache.getLocal(key)) tier.add(scope, key, sketch, 'peer');
      }
    },
  };
}

function field(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(bytes.byteLength);
  return Buffer.concat([length, bytes]);
}

class FieldReader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  get done(): boolean {
    return this.at >= this.bytes.byteLength;
  }

  next(): Buffer {
    if (this.at + 4 > this.bytes.byteLength) throw new Error('the snapshot’s near-duplicate section is cut short');
    const length = this.bytes.readUInt32LE(this.at);
    const end = this.at + 4 + length;
    if (end > this.bytes.byteLength) throw new Error('the snapshot’s near-duplicate section is cut short');
    const out = this.bytes.subarray(this.at + 4, end);
    this.at = end;
    return out;
  }
}
