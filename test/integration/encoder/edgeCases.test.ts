import { expect } from 'chai';
import { EmbedlineError } from '../../../core/errors.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { EDGE_CASES, HUNDRED_K_CHARS } from '../../fixtures/sentences.js';
import { embedTexts, startRealRuntime } from '../../support/model.js';

describe('the production pipeline on awkward input', () => {
  let runtime: EmbedlineRuntime;

  before(async () => {
    runtime = await startRealRuntime();
  });

  after(async () => runtime?.close());

  it('returns a finite unit vector for every edge case (empty, whitespace, emoji, CJK, RTL, control characters)', async () => {
    const vectors = await embedTexts(runtime, EDGE_CASES);

    expect(vectors).to.have.length(EDGE_CASES.length);
    vectors.forEach((v, i) => {
      expect(v.length, `case ${i}`).to.equal(384);
      expect(v.every(Number.isFinite), `case ${i}`).to.equal(true);
      expect(Math.hypot(...v), `case ${i}`).to.be.closeTo(1, 1e-4);
    });
  });

  it('embeds a 100,000-character string by truncating it to 256 word pieces', async () => {
    const { vectors, promptTokens } = await runtime.pipeline.embed([HUNDRED_K_CHARS]);

    expect(HUNDRED_K_CHARS.length).to.be.at.least(100_000);
    expect(promptTokens).to.equal(256);
    expect(Math.hypot(...vectors[0]!.values)).to.be.closeTo(1, 1e-4);
  });

  it('rejects a non-string input with a typed EMBEDLINE_BAD_INPUT error naming its index', async () => {
    const error = await runtime.pipeline.embed(['fine', 42 as unknown as string]).then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).to.be.instanceOf(EmbedlineError);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_BAD_INPUT');
    expect((error as EmbedlineError).message).to.contain('input[1]');
  });

  it('returns an empty list for an empty batch', async () => {
    const result = await runtime.pipeline.embed([]);

    expect([result.vectors, result.promptTokens]).to.deep.equal([[], 0]);
  });
});
