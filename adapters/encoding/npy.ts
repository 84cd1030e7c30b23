import { toLittleEndianBytes } from './littleEndian.js';
import type { ElementArray, VectorFormatEncoding } from './vectorFormats.js';

const MAGIC = '\x93NUMPY';
/** Magic (6) + version (2) + header length (2). */
const PREAMBLE_BYTES = 10;
const ALIGNMENT = 64;

/**
 * The NumPy `.npy` format 1.0 header: magic, version 1.0, the little-endian length of a Python
 * dict literal (`descr`, `fortran_order: False`, `shape`) padded with spaces and a final `\n`
 * so the data starts on a 64-byte boundary.
 *
 * @example
 * npyHeader(vectorFormat('float32'), [2, 384]).length; // 128
 */
export function npyHeader(format: VectorFormatEncoding, shape: readonly number[]): Buffer {
  const tuple = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  const dict = `{'descr': '${format.dtype}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const unpadded = PREAMBLE_BYTES + dict.length + 1;
  const padded = Math.ceil(unpadded / ALIGNMENT) * ALIGNMENT;
  const text = `${dict}${' '.repeat(padded - unpadded)}\n`;
  if (text.length > 0xffff) throw new RangeError(`An .npy 1.0 header holds at most 65535 bytes; shape ${tuple} needs ${text.length}`);
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  preamble.write(MAGIC, 0, 'latin1');
  preamble[6] = 1;
  preamble[7] = 0;
  preamble.writeUInt16LE(text.length, 8);
  return Buffer.concat([preamble, Buffer.from(text, 'latin1')]);
}

/** One row of an .npy array: the vector's little-endian element bytes (rows follow the header in order). */
export function npyRow<A extends ElementArray>(format: VectorFormatEncoding<A>, values: A): Buffer {
  return toLittleEndianBytes(format, values);
}

/**
 * A whole (rows, elements) .npy file. Every row must have the same length; an empty list is a
 * (0, 0) array.
 */
export function npyFile<A extends ElementArray>(format: VectorFormatEncoding<A>, rows: readonly A[]): Buffer {
  const width = rows[0]?.length ?? 0;
  rows.forEach((row, index) => {
    if (row.length !== width) throw new RangeError(`.npy rows must have equal length: row 0 has ${width} elements, row ${index} has ${row.length}`);
  });
  return Buffer.concat([npyHeader(format, [rows.length, width]), ...rows.map((row) => npyRow(format, row))]);
}
