/**
 * The one vector-encoding module of the adapters: HTTP bodies, CLI output files and result sinks
 * all write vectors through these functions, driven by the format registry in vectorFormats.ts.
 *
 * @example
 * import { npyFile, toBase64, vectorFormat } from '../encoding/index.js';
 * const body = npyFile(vectorFormat('float32'), vectors);
 */
export { toBase64, fromBase64 } from './base64.js';
export { toJsonValues, isJsonVectorEncoding, JSON_VECTOR_ENCODINGS, type JsonVectorEncoding } from './json.js';
export { jsonlDocument, jsonlLine, parseJsonlDocument } from './jsonl.js';
export { HOST_IS_LITTLE_ENDIAN, fromLittleEndianBytes, toLittleEndianBytes } from './littleEndian.js';
export { npyFile, npyHeader, npyRow } from './npy.js';
export { quantizedToBase64, quantizedToJson } from './quantized.js';
export { encodingOf, isEncodableFormat, vectorFormat, VECTOR_FORMAT_ENCODINGS, type ElementArray, type ElementsOf, type EncodableFormat, type VectorFormatEncoding } from './vectorFormats.js';
