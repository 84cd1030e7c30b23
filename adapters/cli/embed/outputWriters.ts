import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile, stat, truncate } from 'node:fs/promises';
import { FORMAT_LAYOUT, type VectorFormat } from '../../../core/precision/formats.js';
import type { QuantizedVector } from '../../../core/precision/quantize.js';
import { encodingOf, jsonlLine, npyHeader, npyRow, parseJsonlDocument, quantizedToJson, vectorFormat } from '../../encoding/index.js';

/** A vector as the CLI writes it: float32 (`Float32Array`) or any served precision's format. */
export type WrittenVector = Float32Array | QuantizedVector;

function asQuantized(vector: WrittenVector): QuantizedVector {
  return vector instanceof Float32Array ? { format: 'float32', dimensions: vector.length, data: vector } : vector;
}

/**
 * The row the CLI writes for one text, to a .jsonl file or stdout: integers for the integer
 * formats; `precision` names what was served when given.
 */
export function embeddingLine(id: string, vector: WrittenVector, precision?: string): string {
  return jsonlLine({ id, embedding: quantizedToJson(asQuantized(vector)), ...(precision === undefined ? {} : { precision }) });
}

export interface EmbeddingWriter {
  write(id: string, vector: WrittenVector): Promise<void>;
  close(): Promise<void>;
}

/**
 * Appends `{"id": …, "embedding": […]}` lines. On resume it first cuts a half-written last
 * line (left by a kill) and returns the ids already complete.
 */
export class JsonlWriter implements EmbeddingWriter {
  private constructor(
    private readonly stream: WriteStream,
    private readonly precision: string | undefined,
  ) {}

  static async open(path: string, resume: boolean, precision?: string): Promise<{ writer: JsonlWriter; done: Set<string> }> {
    const done = resume ? await completedIds(path) : new Set<string>();
    const stream = createWriteStream(path, { flags: resume ? 'a' : 'w' });
    await once(stream, 'open');
    return { writer: new JsonlWriter(stream, precision), done };
  }

  async write(id: string, vector: WrittenVector): Promise<void> {
    if (!this.stream.write(embeddingLine(id, vector, this.precision))) await once(this.stream, 'drain');
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
 * A NumPy `.npy` file of shape (rows, elements) in `format`'s dtype (float32 `<f4` by default;
 * int8 `|i1`, uint8 `|u1`, int16 `<i2`, float16 `<f2`; binary/ubinary packed bits as `|i1`/`|u1`
 * of ceil(dim / 8) columns), little-endian. The header is written first with the known row
 * count; rows must arrive in order and in that format.
 */
export class NpyWriter implements EmbeddingWriter {
  private offset: number;

  private constructor(
    private readonly file: Awaited<ReturnType<typeof open>>,
    headerBytes: number,
    private readonly format: VectorFormat,
  ) {
    this.offset = headerBytes;
  }

  static async open(path: string, rows: number, dim: number, format: VectorFormat = 'float32'): Promise<NpyWriter> {
    const file = await open(path, 'w');
    const encoding = vectorFormat(format);
    const header = npyHeader(encoding, [rows, FORMAT_LAYOUT[format].elements(dim)]);
    await file.write(header, 0, header.length, 0);
    return new NpyWriter(file, header.length, format);
  }

  async write(_id: string, written: WrittenVector): Promise<void> {
    const vector = asQuantized(written);
    if (vector.format !== this.format) throw new RangeError(`this .npy holds ${this.format} rows; got a ${vector.format} vector`);
    const bytes = npyRow(encodingOf(vector), vector.data);
    await this.file.write(bytes, 0, bytes.length, this.offset);
    this.offset += bytes.length;
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

