import { FORMAT_LAYOUT, type VectorFormat } from './formats.js';
import { fromHalf, toHalf } from './float16.js';

/**
 * Per-dimension ranges the calibrated formats map onto their integer levels; `int16`, when
 * present (calibrations from version 2), is int16's own wider pair, else int16 uses min/max.
 */
export interface QuantizationRanges {
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly int16?: { readonly min: readonly number[]; readonly max: readonly number[] } | undefined;
}

/** float16 is held as its IEEE bit patterns; packed-bit formats hold ceil(dims / 8) bytes. */
export type QuantizedData = Float32Array | Uint16Array | Int16Array | Int8Array | Uint8Array;

export interface QuantizedVector {
  readonly format: VectorFormat;
  readonly dimensions: number;
  readonly data: QuantizedData;
}

const LEVELS = { int16: 65_535, int8: 255, uint8: 255 } as const;
const OFFSET = { int16: 32_768, int8: 128, uint8: 0 } as const;

/**
 * One vector in `format`. int16/int8/uint8 map [min, max] of each dimension onto the format's
 * levels (sentence-transformers' scheme, but rounded to the nearest level and clamped, where
 * sentence-transformers truncates and lets values outside the range wrap around).
 *
 * @example
 * const q = quantize(vector, 'int8', calibration.ranges); // q.data: Int8Array(384)
 * const approx = dequantize(q, calibration.ranges);
 */
export function quantize(vector: Float32Array, format: VectorFormat, ranges?: QuantizationRanges): QuantizedVector {
  const dims = vector.length;
  switch (format) {
    case 'float32':
      return { format, dimensions: dims, data: vector };
    case 'float16':
      return { format, dimensions: dims, data: Uint16Array.from(vector, toHalf) };
    case 'binary':
    case 'ubinary': {
      const bits = packSignBits(vector);
      return { format, dimensions: dims, data: format === 'ubinary' ? bits : Int8Array.from(bits, (b) => b - 128) };
    }
    case 'int16':
    case 'int8':
    case 'uint8': {
      const r = requireRanges(format, ranges, dims);
      const data = format === 'int16' ? new Int16Array(dims) : format === 'int8' ? new Int8Array(dims) : new Uint8Array(dims);
      const levels = LEVELS[format];
      for (let d = 0; d < dims; d++) {
        const level = Math.round(((vector[d]! - r.min[d]!) / (r.max[d]! - r.min[d]!)) * levels);
        data[d] = Math.min(levels, Math.max(0, level)) - OFFSET[format];
      }
      return { format, dimensions: dims, data };
    }
  }
}

/**
 * Back to float32: the level's value within the calibrated range, the half's value, or ±1/√d
 * per sign bit (unit length, so cosine and dot product agree).
 */
export function dequantize(q: QuantizedVector, ranges?: QuantizationRanges): Float32Array {
  const dims = q.dimensions;
  switch (q.format) {
    case 'float32':
      return q.data as Float32Array;
    case 'float16':
      return Float32Array.from(q.data as Uint16Array, fromHalf);
    case 'binary':
    case 'ubinary': {
      const bytes = q.format === 'ubinary' ? (q.data as Uint8Array) : Uint8Array.from(q.data as Int8Array, (b) => b + 128);
      const out = new Float32Array(dims);
      const unit = 1 / Math.sqrt(dims);
      for (let d = 0; d < dims; d++) out[d] = (bytes[d >> 3]! >> (7 - (d & 7))) & 1 ? unit : -unit;
      return out;
    }
    case 'int16':
    case 'int8':
    case 'uint8': {
      const r = requireRanges(q.format, ranges, dims);
      const out = new Float32Array(dims);
      const levels = LEVELS[q.format];
      for (let d = 0; d < dims; d++) out[d] = r.min[d]! + ((q.data[d]! + OFFSET[q.format]) / levels) * (r.max[d]! - r.min[d]!);
      return out;
    }
  }
}

/** Sign bits, first dimension in the most significant bit of byte 0 (numpy.packbits). */
export function packSignBits(vector: Float32Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(vector.length / 8));
  for (let d = 0; d < vector.length; d++) if (vector[d]! > 0) out[d >> 3]! |= 0x80 >> (d & 7);
  return out;
}

/** The vector's elements as little-endian bytes: what `encoding_format: "base64"` carries. */
export function toLittleEndianBytes(q: QuantizedVector): Uint8Array {
  const size = FORMAT_LAYOUT[q.format].bytes(q.dimensions) / q.data.length;
  const out = new Uint8Array(q.data.length * size);
  const view = new DataView(out.buffer);
  q.data.forEach((value, i) => {
    if (q.format === 'float32') view.setFloat32(i * 4, value, true);
    else if (size === 2) view.setUint16(i * 2, value & 0xffff, true);
    else view.setUint8(i, value & 0xff);
  });
  return out;
}

/** Inverse of toLittleEndianBytes. */
export function fromLittleEndianBytes(bytes: Uint8Array, format: VectorFormat, dimensions: number): QuantizedVector {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = FORMAT_LAYOUT[format].elements(dimensions);
  if (bytes.byteLength !== FORMAT_LAYOUT[format].bytes(dimensions)) {
    throw new RangeError(`${format} vector of ${dimensions} dimensions is ${FORMAT_LAYOUT[format].bytes(dimensions)} bytes, got ${bytes.byteLength}`);
  }
  const data = allocate(format, n);
  for (let i = 0; i < n; i++) {
    if (format === 'float32') data[i] = view.getFloat32(i * 4, true);
    else if (format === 'float16') data[i] = view.getUint16(i * 2, true);
    else if (format === 'int16') data[i] = view.getInt16(i * 2, true);
    else if (format === 'int8' || format === 'binary') data[i] = view.getInt8(i);
    else data[i] = view.getUint8(i);
  }
  return { format, dimensions, data };
}

/** The values JSON carries: integers for integer formats, the half's exact value for float16. */
export function toJsonValues(q: QuantizedVector): number[] {
  return q.format === 'float16' ? Array.from(q.data as Uint16Array, fromHalf) : Array.from(q.data);
}

function allocate(format: VectorFormat, n: number): QuantizedData {
  if (format === 'float32') return new Float32Array(n);
  if (format === 'float16') return new Uint16Array(n);
  if (format === 'int16') return new Int16Array(n);
  if (format === 'int8' || format === 'binary') return new Int8Array(n);
  return new Uint8Array(n);
}

function requireRanges(format: VectorFormat, ranges: QuantizationRanges | undefined, dims: number): { readonly min: readonly number[]; readonly max: readonly number[] } {
  const pair = format === 'int16' && ranges?.int16 ? ranges.int16 : ranges;
  if (!pair || pair.min.length !== dims || pair.max.length !== dims) {
    throw new RangeError(`${format} needs calibrated ranges for ${dims} dimensions (embedline model calibrate)`);
  }
  return pair;
}
