import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fromLittleEndianBytes, toLittleEndianBytes } from '../../../core/precision/quantize.js';

/** One cached vector: key, fp32 vector, milliseconds it has left (Infinity: no expiry). */
export type SnapshotEntry = readonly [key: string, vector: Float32Array, ttlLeftMs: number];

const MAGIC = 'embedline-cache-snapshot v1\n';
const NO_EXPIRY = -1;

/**
 * Writes entries to `path` atomically (a temporary file renamed over it), so a crash mid-write
 * leaves the previous snapshot. Layout after the magic line: a JSON header line
 * `{"dimensions":384,"entries":n}`, then per entry a u16 key length, the key (ASCII), an f64 of
 * the wall-clock expiry in epoch milliseconds (-1: none), so time spent down counts against the
 * TTL, and the vector as fp32 little-endian.
 *
 * @example
 * await writeSnapshot('/var/cache/embedline/cache.snapshot', [['t:5d0c…', vector, 3_600_000]], 384);
 */
export async function writeSnapshot(path: string, entries: readonly SnapshotEntry[], dimensions: number, wallNow = Date.now()): Promise<void> {
  const header = Buffer.from(`${MAGIC}${JSON.stringify({ dimensions, entries: entries.length })}\n`);
  const parts: Buffer[] = [header];
  for (const [key, vector, ttlLeftMs] of entries) {
    const meta = Buffer.alloc(2 + key.length + 8);
    meta.writeUInt16LE(key.length, 0);
    meta.write(key, 2, 'latin1');
    meta.writeDoubleLE(Number.isFinite(ttlLeftMs) ? wallNow + ttlLeftMs : NO_EXPIRY, 2 + key.length);
    const bytes = toLittleEndianBytes({ format: 'float32', dimensions, data: vector });
    parts.push(meta, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, Buffer.concat(parts));
  await rename(temporary, path);
}

/**
 * Reads a snapshot written by {@link writeSnapshot}, leaving out entries expired by `wallNow`:
 * `undefined` when there is none yet; throws a
 * message saying what is wrong when the file is not a snapshot, is cut short, or holds vectors of
 * another size (the caller logs it and starts empty).
 */
export async function readSnapshot(path: string, dimensions: number, wallNow = Date.now()): Promise<SnapshotEntry[] | undefined> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (file.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw new Error(`${path} is not a cache snapshot`);
  const headerEnd = file.indexOf(0x0a, MAGIC.length);
  const header = JSON.parse(file.subarray(MAGIC.length, headerEnd).toString('utf8')) as { dimensions: number; entries: number };
  if (header.dimensions !== dimensions) throw new Error(`${path} holds ${header.dimensions}-dimension vectors; this model has ${dimensions}`);
  const vectorBytes = dimensions * 4;
  const entries: SnapshotEntry[] = [];
  let at = headerEnd + 1;
  for (let n = 0; n < header.entries; n++) {
    if (at + 2 > file.length) throw new Error(`${path} is cut short after ${n} of ${header.entries} entries`);
    const keyLength = file.readUInt16LE(at);
    const end = at + 2 + keyLength + 8 + vectorBytes;
    if (end > file.length) throw new Error(`${path} is cut short after ${n} of ${header.entries} entries`);
    const key = file.subarray(at + 2, at + 2 + keyLength).toString('latin1');
    const expiresAt = file.readDoubleLE(at + 2 + keyLength);
    const ttlLeftMs = expiresAt === NO_EXPIRY ? Number.POSITIVE_INFINITY : expiresAt - wallNow;
    if (ttlLeftMs > 0) entries.push([key, fromLittleEndianBytes(file.subarray(at + 2 + keyLength + 8, end), 'float32', dimensions).data as Float32Array, ttlLeftMs]);
    at = end;
  }
  return entries;
}
