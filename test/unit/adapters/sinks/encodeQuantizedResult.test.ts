import { expect } from 'chai';
import { encodeResult, encodeResultMessage, MESSAGE_ENCODINGS } from '../../../../adapters/sinks/encodeResult.js';
import { parseEmbedMessage } from '../../../../adapters/sqs/message/parseEmbedMessage.js';
import { VECTOR_FORMATS, type VectorFormat } from '../../../../core/precision/formats.js';
import { fromLittleEndianBytes, quantize } from '../../../../core/precision/quantize.js';
import { readNpy } from '../encoding/npyReader.js';
import { result } from './resultFixture.js';

const ranges = { min: [0, 0, 0, 0], max: [3, 3, 3, 3] };

function served(format: VectorFormat) {
  const base = result();
  return result({ quantized: base.vectors.map((v) => quantize(v, format, ranges)), precision: { name: `p-${format}`, variant: 'fp32', format } });
}

describe('encodeResult with served precisions', () => {
  for (const format of VECTOR_FORMATS) {
    it(`round-trips ${format} vectors through the result message's base64 and names the layout`, () => {
      const input = served(format);
      const message = JSON.parse(encodeResultMessage(input)) as { encoding: string; precision: string; dimensions: number; embeddings: string[] };
      expect([message.encoding, message.precision, message.dimensions]).to.deep.equal([MESSAGE_ENCODINGS[format], `p-${format}`, 4]);
      message.embeddings.forEach((text, i) => expect(fromLittleEndianBytes(Buffer.from(text, 'base64'), format, 4).data).to.deep.equal(input.quantized![i]!.data));
    });
  }

  it('writes int8 results as JSONL integers with the precision on each row', () => {
    const rows = encodeResult(served('int8'), 'jsonl').body.toString().trim().split('\n').map((l) => JSON.parse(l) as { embedding: number[]; precision: string });
    expect(rows.map((r) => r.precision)).to.deep.equal(['p-int8', 'p-int8', 'p-int8']);
    expect(rows[1]!.embedding).to.deep.equal(Array.from(served('int8').quantized![1]!.data));
  });

  it('writes int16 results as an .npy of dtype <i2', () => {
    const npy = readNpy(encodeResult(served('int16'), 'npy').body);
    expect([npy.descr, npy.shape, npy.data.length]).to.deep.equal(['<i2', [3, 4], 3 * 4 * 2]);
  });
});

describe('SQS message precision field', () => {
  const limits = { maxTextsPerMessage: 8, maxTextChars: 100, maxMessageBytes: 10_000, model: 'm', defaultPriority: 'normal' as const };

  it('carries the precision as given', () => {
    expect(parseEmbedMessage({ body: '{"v":1,"id":"a","text":"x","precision":"int8"}' }, limits).precision).to.equal('int8');
  });

  it('rejects a precision that is not a string, naming the field', () => {
    expect(() => parseEmbedMessage({ body: '{"v":1,"id":"a","text":"x","precision":8}' }, limits)).to.throw(/precision/);
  });
});
