import { expect } from 'chai';
import { toJsonValues } from '../../../../adapters/encoding/json.js';
import { jsonlDocument, jsonlLine, parseJsonlDocument } from '../../../../adapters/encoding/jsonl.js';

describe('JSON and JSON Lines vector encoding', () => {
  it('writes a float32 vector as the numbers it holds, which parse back to the same float32 values', () => {
    const vector = Float32Array.of(0.1, -2.5, 1 / 3);

    const parsed = JSON.parse(JSON.stringify(toJsonValues(vector))) as number[];

    expect(Float32Array.from(parsed)).to.deep.equal(vector);
  });

  it('writes one row as one line of JSON ending in a newline', () => {
    const line = jsonlLine({ id: 'a', embedding: toJsonValues(Float32Array.of(0.5)) });

    expect(line).to.equal('{"id":"a","embedding":[0.5]}\n');
  });

  it('writes a document with one line per row, in order', () => {
    const text = jsonlDocument([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);

    expect(text.split('\n')).to.deep.equal(['{"id":"a"}', '{"id":"b"}', '{"id":"c"}', '']);
  });

  it('writes no rows as an empty document', () => {
    expect(jsonlDocument([])).to.equal('');
  });

  it('parses complete lines and ignores a last line cut short by a kill', () => {
    const text = `${jsonlLine({ id: 'a' })}${jsonlLine({ id: 'b' })}{"id":"c","embe`;

    expect(parseJsonlDocument(text)).to.deep.equal([{ id: 'a' }, { id: 'b' }]);
  });
});
