import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile, stat, truncate } from 'node:fs/promises';

export interface EmbeddingWriter {
  write(id: string, vector: Float32Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * Appends `{"id": …, "embedding": […]}` lines. On resume it first cuts a half-written last
 * line (left by a kill) and returns the ids already complete.
 */
export class JsonlWriter implements EmbeddingWriter {
  private constructor(private readonly stream: WriteStream) {}

  static async open(path: string, resume: boolean): Promise<{ writer: JsonlWriter; done: Set<string> }> {
    const done = resume ? await completedIds(path) : new Set<string>();
    const stream = createWriteStream(path, { flags: resume ? 'a' : 'w' });
    await once(stream, 'open');
    return { writer: new JsonlWriter(stream), done };
  }

  async write(id: string, vector: Float32Array): Promise<void> {
    if (!this.stream.write(`${JSON.stringify({ id, embedding: Array.from(vector) })}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

async function completedIds(path: string): Promise<Set<string>> {
  const size = await stat(path).then((s) => s.size, () => -1);
  if (size <= 0) return new Set();
  const content = await readFile(path, 'utf8');
  const lastNewline = content.lastIndexOf('\n');
  if (lastNewline !== content.length - 1) await truncate(path, Buffer.byteLength(content.slice(0, lastNewline + 1)));
  const ids = new Set<string>();
  for (const line of content.slice(0, lastNewline + 1).split('\n')) {
    if (line) ids.add((JSON.parse(line) as { id: string }).id);
  }
  return ids;
}

/**
 * A NumPy `.npy` file of shape (rows, dim) float32, little-endian. The header is written
 * first with the known row count; rows must arrive in order.
 */
export class NpyWriter implements EmbeddingWriter {
  private offset: number;

  private constructor(private readonly file: Awaited<ReturnType<typeof open>>, headerBytes: number) {
    this.offset = headerBytes;
  }

  static async open(path: string, rows: number, dim: number): Promise<NpyWriter> {
    const file = await open(path, 'w');
    const header = npyHeader(rows, dim);
    await file.write(header, 0, header.length, 0);
    return new NpyWriter(file, header.length);
  }

  async write(_id: string, vector: Float32Array): Promise<void> {
    const bytes = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
    await this.file.write(bytes, 0, bytes.length, this.offset);
    this.offset += bytes.length;
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/** NPY format 1.0: magic, version, little-endian header length, a dict padded to 64 bytes. */
export function npyHeader(rows: number, dim: number): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  const unpadded = 10 + dict.length + 1;
  const padded = Math.ceil(unpadded / 64) * 64;
  const text = `${dict}${' '.repeat(padded - unpadded)}\n`;
  const header = Buffer.alloc(10);
  header.write('\x93NUMPY', 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(text.length, 8);
  return Buffer.concat([header, Buffer.from(text, 'latin1')]);
}
