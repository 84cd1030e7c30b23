import { fromLittleEndianBytes, toLittleEndianBytes } from '../../../core/precision/quantize.js';

/** One cached vector: key, fp32 vector, milliseconds it has left (Infinity: no expiry). */
export type SnapshotEntry = readonly [key: string, vector: Float32Array, ttlLeftMs: number];

/** What a snapshot holds: the exact tier's entries and the named sections of other parts (vector indexes). */
export interface DecodedSnapshot {
  readonly entries: SnapshotEntry[];
  readonly sections: ReadonlyMap<string, Uint8Array>;
}

const MAGIC_V1 = 'embedline-cache-snapshot v1\n';
const MAGIC = 'embedline-cache-snapshot v2\n';
const NO_EXPIRY = -1;

/**
 * Layout after the magic line: a JSON header line
 * `{"dimensions":384,"entries":n,"sections":[{"name":"…","bytes":b}]}`, then per entry a u16 key
 * length, the key (ASCII), an f64 of the wall-clock expiry in epoch milliseconds (-1: none), so
 * time spent down counts against the TTL, and the vector as fp32 little-endian; then each
 * section's bytes, in header order. v1 files (no sections) are still read.
 *
 * @example
 * const bytes = encodeSnapshot([['t:5d0c…', vector, 3_600_000]], 384, [{ name: 'search', bytes: indexBytes }]);
 */
export function encodeSnapshot(entries: readonly SnapshotEntry[], dimensions: number, sections: readonly { name: string; bytes: Uint8Array }[] = [], wallNow = Date.now()): Buffer {
  const head = { dimensions, entries: entries.length, sections: sections.map((s) => ({ name: s.name, bytes: s.bytes.byteLength })) };
  const parts: Uint8Array[] = [Buffer.from(`${MAGIC}${JSON.stringify(head)}\n`)];
  for (const [key, vector, ttlLeftMs] of entries) {
    const meta = Buffer.alloc(2 + key.length + 8);
    meta.writeUInt16LE(key.length, 0);
    meta.write(key, 2, 'latin1');
    meta.writeDoubleLE(Number.isFinite(ttlLeftMs) ? wallNow + ttlLeftMs : NO_EXPIRY, 2 + key.length);
    parts.push(meta, toLittleEndianBytes({ format: 'float32', dimensions, data: vector }));
  }
  for (const section of sections) parts.push(section.bytes);
  return Buffer.concat(parts);
}

/**
 * Reads what {@link encodeSnapshot} wrote, leaving out entries expired by `wallNow`. Throws a
 * message naming `where` when the bytes are not a snapshot, are cut short, or hold vectors of
 * another size (the caller logs it and starts empty).
 */
export function decodeSnapshot(bytes: Uint8Array, dimensions: number, where: string, wallNow = Date.now()): DecodedSnapshot {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = file.subarray(0, MAGIC.length).toString('latin1');
  if (magic !== MAGIC && magic !== MAGIC_V1) throw new Error(`${where} is not a cache snapshot`);
  const headerEnd = file.indexOf(0x0a, MAGIC.length);
  if (headerEnd < 0) throw new Error(`${where} is cut short in its header`);
  let header: { dimensions: number; entries: number; sections?: { name: string; bytes: number }[] };
  try {
    header = JSON.parse(file.subarray(MAGIC.length, headerEnd).toString('utf8')) as typeof header;
  } catch {
    throw new Error(`${where} has an unreadable header`);
  }
  if (header.dimensions !== dimensions) throw new Error(`${where} holds ${header.dimensions}-dimension vectors; this model has ${dimensions}`);
  const cutShort = (n: number): Error => new Error(`${where} is cut short after ${n} of ${header.entries} entries`);
  const vectorBytes = dimensions * 4;
  const entries: SnapshotEntry[] = [];
  let at = headerEnd + 1;
  for (let n = 0; n < header.entries; n++) {
    if (at + 2 > file.length) throw cutShort(n);
    const keyLength = file.readUInt16LE(at);
    const end = at + 2 + keyLength + 8 + vectorBytes;
    if (end > file.length) throw cutShort(n);
    const key = file.subarray(at + 2, at + 2 + keyLength).toString('latin1');
    const expiresAt = file.readDoubleLE(at + 2 + keyLength);
    const ttlLeftMs = expiresAt === NO_EXPIRY ? Number.POSITIVE_INFINITY : expiresAt - wallNow;
    if (ttlLeftMs > 0) entries.push([key, fromLittleEndianBytes(file.subarray(at + 2 + keyLength + 8, end), 'float32', dimensions).data as Float32Array, ttlLeftMs]);
    at = end;
  }
  const sections = new Map<string, Uint8Array>();
  for (const { name, bytes: length } of header.sections ?? []) {
    if (at + length > file.length) throw new Error(`${where} is cut short in its section "${name}"`);
    sections.set(name, file.subarray(at, at + length));
    at += length;
  }
  return { entries, sections };
}
