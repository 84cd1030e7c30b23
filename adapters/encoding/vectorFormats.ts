import { fromHalf } from '../../core/precision/float16.js';
import { FORMAT_LAYOUT, type FormatLayout, type VectorFormat } from '../../core/precision/formats.js';
import type { QuantizedVector } from '../../core/precision/quantize.js';

/** The typed arrays a vector's elements live in (float16 as IEEE bit patterns, packed bits as bytes). */
export type ElementArray = Float32Array | Uint16Array | Int16Array | Int8Array | Uint8Array;

/**
 * How one vector format is written at the edges: its element type, its NumPy dtype, what JSON
 * carries for it, and how one element is laid out as little-endian bytes. Every encoder in this
 * folder (JSON, base64, JSONL, NPY) works from an entry, so a new format is one more entry.
 *
 * @example
 * const f32 = vectorFormat('float32');
 * f32.dtype; // '<f4'
 */
export interface VectorFormatEncoding<A extends ElementArray = ElementArray> {
  readonly name: VectorFormat;
  /** NumPy dtype (the .npy header's `descr`), from core's format layout. */
  readonly dtype: FormatLayout['dtype'];
  readonly bytesPerElement: 1 | 2 | 4;
  /** An array of `length` elements of this format's type. */
  allocate(length: number): A;
  /** The numbers JSON carries for one vector. */
  toJson(values: A): number[];
  /** Writes one element as little-endian bytes at `byteOffset`. */
  writeElement(view: DataView, byteOffset: number, value: number): void;
  readElement(view: DataView, byteOffset: number): number;
}

const float32 = {
  name: 'float32' as const,
  dtype: FORMAT_LAYOUT.float32.dtype,
  bytesPerElement: 4 as const,
  allocate: (length) => new Float32Array(length),
  toJson: (values) => Array.from(values),
  writeElement: (view, byteOffset, value) => view.setFloat32(byteOffset, value, true),
  readElement: (view, byteOffset) => view.getFloat32(byteOffset, true),
} satisfies VectorFormatEncoding<Float32Array>;

/** IEEE half bit patterns in a Uint16Array; JSON carries each half's exact value as a number. */
const float16 = {
  name: 'float16' as const,
  dtype: FORMAT_LAYOUT.float16.dtype,
  bytesPerElement: 2 as const,
  allocate: (length) => new Uint16Array(length),
  toJson: (values) => Array.from(values, fromHalf),
  writeElement: (view, byteOffset, value) => view.setUint16(byteOffset, value, true),
  readElement: (view, byteOffset) => view.getUint16(byteOffset, true),
} satisfies VectorFormatEncoding<Uint16Array>;

const int16 = {
  name: 'int16' as const,
  dtype: FORMAT_LAYOUT.int16.dtype,
  bytesPerElement: 2 as const,
  allocate: (length) => new Int16Array(length),
  toJson: (values) => Array.from(values),
  writeElement: (view, byteOffset, value) => view.setInt16(byteOffset, value, true),
  readElement: (view, byteOffset) => view.getInt16(byteOffset, true),
} satisfies VectorFormatEncoding<Int16Array>;

/** One signed byte per element: int8 levels, or binary's packed sign bits shifted by -128. */
const signedByte = <F extends 'int8' | 'binary'>(name: F): VectorFormatEncoding<Int8Array> & { readonly name: F } =>
  ({
    name,
    dtype: FORMAT_LAYOUT[name].dtype,
    bytesPerElement: 1 as const,
    allocate: (length) => new Int8Array(length),
    toJson: (values) => Array.from(values),
    writeElement: (view, byteOffset, value) => view.setInt8(byteOffset, value),
    readElement: (view, byteOffset) => view.getInt8(byteOffset),
  });

/** One unsigned byte per element: uint8 levels, or ubinary's packed sign bits. */
const unsignedByte = <F extends 'uint8' | 'ubinary'>(name: F): VectorFormatEncoding<Uint8Array> & { readonly name: F } =>
  ({
    name,
    dtype: FORMAT_LAYOUT[name].dtype,
    bytesPerElement: 1 as const,
    allocate: (length) => new Uint8Array(length),
    toJson: (values) => Array.from(values),
    writeElement: (view, byteOffset, value) => view.setUint8(byteOffset, value),
    readElement: (view, byteOffset) => view.getUint8(byteOffset),
  });

/**
 * Every core/precision format, keyed by name: the element arrays quantize() returns, written as
 * their little-endian bytes. binary/ubinary hold ceil(dims / 8) bytes per vector (packed sign
 * bits, first dimension in the most significant bit), so their .npy shape is (rows, ceil(dims / 8)).
 */
export const VECTOR_FORMAT_ENCODINGS = {
  float32,
  float16,
  int16,
  int8: signedByte('int8'),
  uint8: unsignedByte('uint8'),
  binary: signedByte('binary'),
  ubinary: unsignedByte('ubinary'),
} as const satisfies { readonly [F in VectorFormat]: VectorFormatEncoding & { readonly name: F } };

export type EncodableFormat = keyof typeof VECTOR_FORMAT_ENCODINGS;

/** The element array type of a registered format. */
export type ElementsOf<F extends EncodableFormat> = (typeof VECTOR_FORMAT_ENCODINGS)[F] extends VectorFormatEncoding<infer A> ? A : never;

export function isEncodableFormat(value: unknown): value is EncodableFormat {
  return typeof value === 'string' && Object.hasOwn(VECTOR_FORMAT_ENCODINGS, value);
}

export function vectorFormat<F extends EncodableFormat>(name: F): VectorFormatEncoding<ElementsOf<F>> {
  return VECTOR_FORMAT_ENCODINGS[name] as unknown as VectorFormatEncoding<ElementsOf<F>>;
}

/** The registry entry a quantized vector is written with (its own format's). */
export function encodingOf(vector: QuantizedVector): VectorFormatEncoding {
  return VECTOR_FORMAT_ENCODINGS[vector.format] as VectorFormatEncoding;
}
