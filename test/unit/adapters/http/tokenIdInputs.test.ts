import { expect } from 'chai';
import { createRequire } from 'node:module';
import type { Tiktoken as TiktokenType } from 'js-tiktoken/lite';
import { configSchema } from '../../../../core/config/schema.js';
import { EmbedlineError } from '../../../../core/errors.js';
import { inputTexts } from '../../../../adapters/http/requestLimits.js';
import { TokenIdDecoder } from '../../../../adapters/http/tokenIds/TokenIdDecoder.js';
import { TOKEN_ID_ENCODINGS } from '../../../../adapters/http/tokenIds/tokenIdEncodings.js';
import { LONG_TEXTS, VARIED_SENTENCES } from '../../../fixtures/sentences.js';

const require = createRequire(import.meta.url);
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: typeof TiktokenType };
/** The client side: what LangChain's OpenAIEmbeddings computes before sending. */
const cl100k = new Tiktoken(require('js-tiktoken/ranks/cl100k_base'));
const limits = { maxInputs: 2048, maxInputChars: 100_000 };
/** No lone surrogates (with the u flag a valid pair is one code point, not Cs). */
const wellFormed = (text: string) => !/\p{Cs}/u.test(text);

async function rejection(promise: Promise<unknown>): Promise<EmbedlineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(EmbedlineError);
    return error as EmbedlineError;
  }
  throw new Error('expected a rejection');
}

describe('token-id inputs (decoded with tiktoken, re-tokenized by the model)', function () {
  this.timeout(60_000);
  const decoder = new TokenIdDecoder('cl100k_base');
  after(() => decoder.close());

  // Ill-formed UTF-16 cannot survive any client's UTF-8 encoding, and tiktoken refuses texts
  // spelling its special tokens; neither can reach a server as token ids.
  const sendable = VARIED_SENTENCES.filter((text) => wellFormed(text) && !text.includes('<|'));

  it('gives back exactly the texts a cl100k_base client encoded, for every well-formed fixture text', async () => {
    expect(sendable.length).to.be.greaterThan(100);
    const texts = await inputTexts(sendable.map((text) => cl100k.encode(text)), 'input', limits, decoder);
    expect(texts).to.deep.equal(sendable);
  });

  it('reads a flat id array as one input, as OpenAI does', async () => {
    const long = LONG_TEXTS[0]!;
    expect(await inputTexts(cl100k.encode(long), 'input', limits, decoder)).to.deep.equal([long]);
  });

  it('keeps texts as texts, so strings that look like numbers are not ids', async () => {
    expect(await inputTexts(['1', '2'], 'input', limits, decoder)).to.deep.equal(['1', '2']);
    expect(await inputTexts('hello', 'input', limits, decoder)).to.deep.equal(['hello']);
  });

  it('names the input and position of an id cl100k_base does not define', async () => {
    // 100256 is a gap in cl100k_base's ranks; -1 and 1.5 are no ids at all.
    for (const [bad, position] of [[100_256, 1], [-1, 1], [1.5, 1], [10_000_000, 1]] as const) {
      const error = await rejection(inputTexts([[9906], [9906, bad]], 'input', limits, decoder));
      expect(error.code).to.equal('EMBEDLINE_BAD_INPUT');
      expect(error.message).to.include(`"input[1][${position}]"`).and.include(String(bad)).and.include('cl100k_base');
    }
  });

  it('reads an empty id list as the empty text; refuses id lists mixed with strings, and more ids than the character limit', async () => {
    // An empty id list is the empty text, which is embedded like any text.
    expect(await inputTexts([[]], 'input', limits, decoder)).to.deep.equal(['']);
    const mixed = await rejection(inputTexts(['a', [9906]], 'inputs', limits, decoder));
    expect(mixed.code).to.equal('EMBEDLINE_BAD_INPUT');
    expect(mixed.message).to.include('mixed with strings');
    const over = await rejection(inputTexts([[9906, 9906, 9906]], 'input', { maxInputs: 10, maxInputChars: 2 }, decoder));
    expect(over.code).to.equal('EMBEDLINE_INPUT_TOO_LARGE');
    const many = await rejection(inputTexts([[9906], [9906]], 'input', { maxInputs: 1, maxInputChars: 100 }, decoder));
    expect(many.code).to.equal('EMBEDLINE_INPUT_TOO_LARGE');
  });

  it('applies the character limit to the decoded text too', async () => {
    const ids = cl100k.encode(LONG_TEXTS[1]!);
    const error = await rejection(inputTexts([ids], 'input', { maxInputs: 10, maxInputChars: ids.length + 1 }, decoder));
    expect(error.code).to.equal('EMBEDLINE_INPUT_TOO_LARGE');
    expect(error.message).to.include('characters');
  });

  it('refuses token ids when decoding is off, saying how to turn it on', async () => {
    const error = await rejection(inputTexts([[9906]], 'input', limits, undefined));
    expect(error.code).to.equal('EMBEDLINE_BAD_INPUT');
    expect(error.message).to.include('http.tokenIds: off');
  });

  it('answers concurrent requests each with its own texts', async () => {
    const texts = sendable.slice(0, 40);
    const decoded = await Promise.all(texts.map((text) => inputTexts([cl100k.encode(text)], 'input', limits, decoder)));
    expect(decoded.map(([text]) => text)).to.deep.equal(texts);
  });

  it('offers in config exactly the encodings the decoder knows, cl100k_base by default', () => {
    const options = (configSchema.shape.http.unwrap().shape.tokenIds.unwrap().options as readonly string[]).filter((o) => o !== 'off');
    expect(options).to.deep.equal([...TOKEN_ID_ENCODINGS]);
    expect(configSchema.parse({}).http.tokenIds).to.equal('cl100k_base');
  });
});
