import { expect } from 'chai';
import type { RunningEncoder } from '../../../core/encoder/createEncoder.js';
import { EmbedlineError } from '../../../core/errors.js';
import { EDGE_CASES, HUNDRED_K_CHARS } from '../../fixtures/sentences.js';
import { startRealEncoder } from '../../support/model.js';

describe('encoder on awkward input', () => {
  let running: RunningEncoder;

  before(async () => {
    running = await startRealEncoder();
  });

  after(async () => running?.close());

  it('returns a finite unit vector for every edge case (empty, whitespace, emoji, CJK, RTL, control characters)', async () => {
    const vectors = await running.encoder.encode(EDGE_CASES);

    vectors.forEach((v, i) => {
      expect(v.length, `case ${i}`).to.equal(384);
      expect(v.every(Number.isFinite), `case ${i}`).to.equal(true);
      expect(Math.hypot(...v), `case ${i}`).to.be.closeTo(1, 1e-4);
    });
  });

  it('embeds a 100,000-character string by truncating it to 256 word pieces', async () => {
    const [tokens] = await running.encoder.tokenizer.tokenize([HUNDRED_K_CHARS]);
    const [vector] = await running.encoder.encode([HUNDRED_K_CHARS]);

    expect(HUNDRED_K_CHARS.length).to.be.at.least(100_000);
    expect(tokens!.ids.length).to.equal(256);
    expect(Math.hypot(...vector!)).to.be.closeTo(1, 1e-4);
  });

  it('rejects a non-string input with a typed EMBEDLINE_BAD_INPUT error naming its index', async () => {
    const error = await running.encoder.encode(['fine', 42 as unknown as string]).then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).to.be.instanceOf(EmbedlineError);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_BAD_INPUT');
    expect((error as EmbedlineError).message).to.contain('texts[1]');
  });

  it('returns an empty list for an empty batch', async () => {
    expect(await running.encoder.encode([])).to.deep.equal([]);
  });
});
