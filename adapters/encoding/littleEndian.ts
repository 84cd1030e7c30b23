import type { ElementArray, VectorFormatEncoding } from './vectorFormats.js';

/** Whether this host stores multi-byte numbers little-endian (every platform Node ships for today). */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * The vector's elements as little-endian bytes, whatever the host's byte order: what
 * `encoding_format: "base64"`, .npy rows and the result messages carry. On a little-endian host
 * the array's own bytes are copied; elsewhere each element is written through a DataView.
 *
 * @example
 * toLittleEndianBytes(vectorFormat('float32'), Float32Array.of(1)); // <Buffer 00 00 80 3f>
 */
export function toLittleEndianBytes<A extends ElementArray>(format: VectorFormatEncoding<A>, values: A, hostIsLittleEndian = HOST_IS_LITTLE_ENDIAN): Buffer {
  if (hostIsLittleEndian || format.bytesPerElement === 1) return Buffer.from(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const bytes = Buffer.alloc(values.length * format.bytesPerElement);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) format.writeElement(view, i * format.bytesPerElement, values[i]!);
  return bytes;
}

/** Inverse of toLittleEndianBytes; the byte count must be a whole number of elements. */
export function fromLittleEndianBytes<A extends ElementArray>(format: VectorFormatEncoding<A>, bytes: Uint8Array): A {
  if (bytes.byteLength % format.bytesPerElement !== 0) {
    throw new RangeError(`${bytes.byteLength} bytes are not a whole number of ${format.name} elements (${format.bytesPerElement} bytes each)`);
  }
  const values = format.allocate(bytes.byteLength / format.bytesPerElement);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = format.readElement(view, i * format.bytesPerElement);
  return values;
}
