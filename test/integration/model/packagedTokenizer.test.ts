import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { TextTokenizer } from '../../../core/encoder/TextTokenizer.js';
import { LONG_TEXTS } from '../../fixtures/sentences.js';
import { catalogueModel } from '../../support/catalogueModel.js';

/**
 * The LangChain4j jars' tokenizer.json files may carry a fixed padding and truncation (MiniLM's:
 * 128); Embedline never uses them: truncation at the model's max_seq_length, no padding.
 */
describe('packaged tokenizer on bge-small-en-v1.5: no packaged padding or truncation', () => {
  let tokenizer: TextTokenizer;
  let longText: string;

  before(async () => {
    const model = await catalogueModel('bge-small-en-v1.5');
    tokenizer = TextTokenizer.fromFile(model.tokenizerPath, model.maxSeqLength);
    longText = LONG_TEXTS.join(' ');
    const packaged = JSON.parse(await readFile(model.tokenizerPath, 'utf8')) as { truncation: unknown; padding: unknown };
    // Whatever the jar says, the test below must hold; recorded so a changed artifact is noticed.
    expect(packaged).to.have.property('truncation');
  });

  it('keeps more than 128 word pieces of a long text, up to max_seq_length 512 ending in [SEP]', async () => {
    const [long] = await tokenizer.tokenize([longText]);
    expect(long!.ids.length).to.equal(512);
    expect(long!.ids[0]).to.equal(101);
    expect(long!.ids[511]).to.equal(102);
  });

  it('keeps a 129-to-511-piece text whole and pads nothing', async () => {
    const words = longText.split(/\s+/).slice(0, 200).join(' ');
    const [medium, short] = await tokenizer.tokenize([words, 'hello world']);
    expect(medium!.ids.length).to.be.above(128).and.below(512);
    expect(medium!.ids[medium!.ids.length - 1]).to.equal(102);
    expect(Array.from(short!.ids)).to.deep.equal([101, 7592, 2088, 102]);
  });
});
