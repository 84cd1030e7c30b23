import { FORMAT_LAYOUT, type FormatLayout, type VectorFormat } from '../../core/precision/formats.js';

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

/**
 * The formats the adapters can write, keyed by name. Only float32 leaves the pipeline today; the
 * precision issue adds float16/int8/uint8/binary/ubinary here (their layouts are in
 * core/precision/formats.ts already).
 */
export const VECTOR_FORMAT_ENCODINGS = { float32 } as const satisfies { readonly [F in VectorFormat]?: VectorFormatEncoding & { readonly name: F } };

export type EncodableFormat = keyof typeof VECTOR_FORMAT_ENCODINGS;

/** The element array type of a registered format. */
export type ElementsOf<F extends EncodableFormat> = (typeof VECTOR_FORMAT_ENCODINGS)[F] extends VectorFormatEncoding<infer A> ? A : never;

export function isEncodableFormat(value: unknown): value is EncodableFormat {
  return typeof value === 'string' && Object.hasOwn(VECTOR_FORMAT_ENCODINGS, value);
}

export function vectorFormat<F extends EncodableFormat>(name: F): VectorFormatEncoding<ElementsOf<F>> {
  return VECTOR_FORMAT_ENCODINGS[name] as unknown as VectorFormatEncoding<ElementsOf<F>>;
}
