import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile, stat, truncate } from 'node:fs/promises';
import { jsonlLine, npyHeader, npyRow, parseJsonlDocument, toJsonValues, vectorFormat } from '../../encoding/index.js';

const FLOAT32 = vectorFormat('float32');

/** The row the CLI writes for one text, to a .jsonl file or stdout. */
export function embeddingLine(id: string, vector: Float32Array): string {
  return jsonlLine({ id, embedding: toJsonValues(vector) });
}

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
    if (!this.stream.write(embeddingLine(id, vector))) await once(this.stream, 'drain');
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
  return new Set(parseJsonlDocument(content).map((row) => (row as { id: string }).id));
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
    const header = npyHeader(FLOAT32, [rows, dim]);
    await file.write(header, 0, header.length, 0);
    return new NpyWriter(file, header.length);
  }

  async write(_id: string, vector: Float32Array): Promise<void> {
    const bytes = npyRow(FLOAT32, vector);
    await this.file.write(bytes, 0, bytes.length, this.offset);
    this.offset += bytes.length;
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}
