import { expect } from 'chai';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { ModelInfo } from '../../../core/model/modelInfo.js';
import type { EmbedOptions } from '../../../core/pipeline/types.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { catalogueModel } from '../../support/catalogueModel.js';
import { cosine, runtimeTokenizer } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';
import { transformersJsExtractor } from '../../support/transformersJs.js';

/**
 * Each packaged model other than MiniLM (which referenceParity.test.ts covers) against
 * transformers.js on the same local files, with the model's own pooling and normalization, and
 * the prompt sentence-transformers would prefix: queries on every text, documents on a share.
 */
const CASES = [
  { name: 'bge-small-en-v1.5', pooling: 'cls', query: 'Represent this sentence for searching relevant passages: ', document: '' },
  { name: 'e5-small-v2', pooling: 'mean', query: 'query: ', document: 'passage: ' },
] as const;

const DOCUMENT_TEXTS = 40;

for (const c of CASES) {
  describe(`production pipeline parity with transformers.js on the real ${c.name} (fp32, ${c.pooling} pooling, prompts)`, () => {
    let model: ModelInfo;
    let runtime: EmbedlineRuntime;
    let extractor: FeatureExtractionPipeline;

    before(async () => {
      model = await catalogueModel(c.name);
      runtime = await startTestRuntime({ model: { name: c.name, variant: 'fp32' }, encoder: { workers: 2, intraOpThreads: 1 } });
      extractor = await transformersJsExtractor(model, c.name);
    });

    after(async () => {
      await runtime?.close();
      await extractor?.dispose();
    });

    it(`reads ${c.pooling} pooling, normalize and max_seq_length 512 from the model's files`, () => {
      expect(model.definition.pooling).to.deep.equal({ mode: c.pooling, normalize: true });
      expect(model.maxSeqLength).to.equal(512);
      expect(model.definition.prompts.query).to.equal(c.query);
    });

    /** Texts whose prompted form fits the model's limit (transformers.js truncates longer ones differently). */
    async function withinLimit(prefix: string, texts: readonly string[]): Promise<string[]> {
      const tokens = await (await runtimeTokenizer(runtime)).tokenize(texts.map((t) => prefix + t));
      return texts.filter((_, i) => tokens[i]!.ids.length < model.maxSeqLength);
    }

    async function compare(texts: readonly string[], prefix: string, options: EmbedOptions): Promise<{ compared: number; worst: { text: string; cos: number }[] }> {
      const { vectors } = await runtime.pipeline.embed(texts, options);
      const worst: { text: string; cos: number }[] = [];
      for (const [i, text] of texts.entries()) {
        const reference = (await extractor(prefix + text, { pooling: c.pooling, normalize: true })).data as Float32Array;
        const cos = cosine(vectors[i]!.values, reference);
        if (cos < 0.99999) worst.push({ text: text.slice(0, 60), cos });
      }
      return { compared: texts.length, worst };
    }

    it('matches transformers.js with cosine ≥ 0.99999 on queries (inputType query: the model\'s query prompt) for 200+ real texts', async () => {
      const texts = await withinLimit(c.query, VARIED_SENTENCES);
      const { compared, worst } = await compare(texts, c.query, { inputType: 'query' });
      expect(worst).to.deep.equal([]);
      expect(compared, 'texts compared').to.be.at.least(200);
    });

    it(`matches transformers.js on documents (inputType document: ${c.document ? JSON.stringify(c.document) : 'no prompt'})`, async () => {
      const texts = (await withinLimit(c.document, VARIED_SENTENCES)).slice(0, DOCUMENT_TEXTS);
      const { compared, worst } = await compare(texts, c.document, { inputType: 'document' });
      expect(worst).to.deep.equal([]);
      expect(compared, 'texts compared').to.equal(DOCUMENT_TEXTS);
    });

    it('gives a query and the same text as a document different vectors (the prompt reaches the model)', async () => {
      const text = 'how do vaccines train the immune system';
      const [asQuery, asDocument] = await Promise.all([runtime.pipeline.embed([text], { promptName: 'query' }), runtime.pipeline.embed([text], { inputType: 'document' })]);
      expect(cosine(asQuery.vectors[0]!.values, asDocument.vectors[0]!.values)).to.be.below(0.999);
    });
  });
}
