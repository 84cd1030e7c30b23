import { expect } from 'chai';
import { isJsonVectorEncoding } from '../../../../adapters/encoding/json.js';
import { isEncodableFormat, vectorFormat, VECTOR_FORMAT_ENCODINGS } from '../../../../adapters/encoding/vectorFormats.js';
import { FORMAT_LAYOUT } from '../../../../core/precision/formats.js';

describe('vector format registry', () => {
  it('keys every entry by the format name it encodes', () => {
    for (const [key, entry] of Object.entries(VECTOR_FORMAT_ENCODINGS)) expect(entry.name).to.equal(key);
  });

  it('takes each entry’s dtype and element size from core’s format layout', () => {
    for (const entry of Object.values(VECTOR_FORMAT_ENCODINGS)) {
      const layout = FORMAT_LAYOUT[entry.name];
      expect([entry.dtype, entry.bytesPerElement * layout.elements(384)], entry.name).to.deep.equal([layout.dtype, layout.bytes(384)]);
    }
  });

  it('holds float32 as little-endian 4-byte elements in a Float32Array', () => {
    const f32 = vectorFormat('float32');

    expect([f32.dtype, f32.bytesPerElement, f32.allocate(2)]).to.deep.equal(['<f4', 4, new Float32Array(2)]);
  });

  it('knows only registered formats', () => {
    expect([isEncodableFormat('float32'), isEncodableFormat('float64'), isEncodableFormat('toString')]).to.deep.equal([true, false, false]);
  });

  it('accepts OpenAI’s encoding_format names float and base64, and nothing else', () => {
    expect(['float', 'base64', 'binary', undefined].map(isJsonVectorEncoding)).to.deep.equal([true, true, false, false]);
  });
});
