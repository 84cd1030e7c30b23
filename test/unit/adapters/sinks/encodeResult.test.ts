import { expect } from 'chai';
import { encodeResult, encodeResultMessage } from '../../../../adapters/sinks/encodeResult.js';
import { float32Rows, readNpy } from '../encoding/npyReader.js';
import { result } from './resultFixture.js';

describe('encodeResult', () => {
  it('writes one self-contained JSON line per text, in order, with the metadata on each', () => {
    const { body, extension, contentType } = encodeResult(result({ metadata: { tenant: 'a' } }), 'jsonl');

    const lines = body.toString().trim().split('\n').map((l) => JSON.parse(l) as { id: string; index: number; embedding: number[]; metadata: unknown });
    expect([extension, contentType]).to.deep.equal(['jsonl', 'application/x-ndjson']);
    expect(lines.map((l) => [l.id, l.index])).to.deep.equal([['doc-1', 0], ['doc-1', 1], ['doc-1', 2]]);
    expect(Float32Array.from(lines[2]!.embedding)).to.deep.equal(result().vectors[2]);
    expect(lines[1]!.metadata).to.deep.equal({ tenant: 'a' });
  });

  it('writes a (texts, dimensions) little-endian float32 .npy array', () => {
    const { body, extension } = encodeResult(result(), 'npy');

    const parsed = readNpy(body);
    expect(extension).to.equal('npy');
    expect([parsed.descr, parsed.fortranOrder, parsed.shape]).to.deep.equal(['<f4', false, [3, 4]]);
    expect(parsed.data.length).to.equal(3 * 4 * 4);
    expect(float32Rows(parsed)).to.deep.equal(result().vectors.map((v) => Array.from(v)));
  });

  it('puts vectors into result messages as base64 float32 that decodes to the same values', () => {
    const message = JSON.parse(encodeResultMessage(result())) as { encoding: string; dimensions: number; embeddings: string[] };

    const bytes = Buffer.from(message.embeddings[1]!, 'base64');
    expect([message.encoding, message.dimensions]).to.deep.equal(['base64-f32le', 4]);
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, 4)).to.deep.equal(result().vectors[1]);
  });
});
