import { expect } from 'chai';
import { EmbedlineError } from '../../../../core/errors.js';
import { modelInputs, resolvePrompt } from '../../../../core/pipeline/modelInput.js';

const E5 = { prompts: { query: 'query: ', passage: 'passage: ' }, defaultPromptName: undefined };
const BGE = { prompts: { query: 'Represent this sentence for searching relevant passages: ' }, defaultPromptName: undefined };
const MINILM = { prompts: {}, defaultPromptName: undefined };
const WITH_DEFAULT = { prompts: { query: 'q: ', document: 'd: ' }, defaultPromptName: 'document' };

function badInput(call: () => unknown): EmbedlineError {
  try {
    call();
  } catch (error) {
    expect(error).to.be.instanceOf(EmbedlineError);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_BAD_INPUT');
    return error as EmbedlineError;
  }
  throw new Error('expected EMBEDLINE_BAD_INPUT');
}

describe('resolvePrompt (promptName / inputType per request)', () => {
  it('maps inputType query and document to the model\'s query and passage prompts (e5)', () => {
    expect(resolvePrompt(E5, 'e5', { inputType: 'query' })).to.deep.equal({ name: 'query', text: 'query: ' });
    expect(resolvePrompt(E5, 'e5', { inputType: 'document' })).to.deep.equal({ name: 'passage', text: 'passage: ' });
  });

  it('gives a document no prompt on a model whose prompts have no document role (bge)', () => {
    expect(resolvePrompt(BGE, 'bge', { inputType: 'document' }).text).to.equal('');
    expect(resolvePrompt(BGE, 'bge', { promptName: 'query' }).text).to.contain('Represent this sentence');
  });

  it('uses the default prompt when the request names none, and none without a default', () => {
    expect(resolvePrompt(WITH_DEFAULT, 'm', {})).to.deep.equal({ name: 'document', text: 'd: ' });
    expect(resolvePrompt(E5, 'e5', {})).to.deep.equal({ name: undefined, text: '' });
  });

  it('accepts promptName and inputType that agree', () => {
    expect(resolvePrompt(E5, 'e5', { promptName: 'passage', inputType: 'document' }).name).to.equal('passage');
  });

  it('refuses promptName and inputType that disagree', () => {
    const error = badInput(() => resolvePrompt(E5, 'e5', { promptName: 'query', inputType: 'document' }));
    expect(error.message).to.contain('disagree').and.to.contain('"passage"');
    badInput(() => resolvePrompt(BGE, 'bge', { promptName: 'query', inputType: 'document' }));
  });

  it('refuses an unknown prompt name, naming the model\'s prompts', () => {
    const error = badInput(() => resolvePrompt(E5, 'e5-small-v2', { promptName: 'search_query' }));
    expect(error.message).to.contain('e5-small-v2').and.to.contain('"query", "passage"');
  });

  it('on a model without prompts ignores inputType but refuses any promptName (MiniLM)', () => {
    expect(resolvePrompt(MINILM, 'all-MiniLM-L6-v2', { inputType: 'query' })).to.deep.equal({ name: undefined, text: '' });
    expect(badInput(() => resolvePrompt(MINILM, 'all-MiniLM-L6-v2', { promptName: 'query' })).message).to.contain('has no prompts');
  });

  it('refuses an inputType other than query or document', () => {
    badInput(() => resolvePrompt(E5, 'e5', { inputType: 'passage' as never }));
  });

  it('prefixes the prompt and lower-cases it with the text when the model says do_lower_case', () => {
    expect(modelInputs(['Hello'], { name: 'query', text: 'Query: ' }, true)).to.deep.equal(['query: hello']);
    expect(modelInputs(['Hello'], { name: 'query', text: 'query: ' }, false)).to.deep.equal(['query: Hello']);
    const texts = ['as is'];
    expect(modelInputs(texts, { name: undefined, text: '' }, false)).to.equal(texts);
  });
});
