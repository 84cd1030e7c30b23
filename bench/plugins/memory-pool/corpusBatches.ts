import type { TextTokenizer } from '../../../core/encoder/TextTokenizer.js';
import { planBatches } from '../../../core/encoder/batchPlanner.js';
import { buildCorpus, readCorpusTexts } from '../../corpus/buildCorpus.js';

/** Requests of this many texts, each grouped into batches on its own, as the encoder path does. */
const TEXTS_PER_REQUEST = 16;
const LIMITS = { maxBatchSize: 64, maxBatchTokens: 8192 };

/**
 * The corpus sample as inference batches (rows of word-piece ids): cut into requests in
 * corpus order, each request grouped by length under the default batch limits, so the batch
 * shapes are as mixed as the texts.
 */
export async function corpusBatches(tokenizer: TextTokenizer, size: number, seed: number): Promise<{ texts: number; batches: Int32Array[][] }> {
  const texts = await readCorpusTexts((await buildCorpus({ size, seed })).file);
  const tokens = await tokenizer.tokenize(texts);
  const batches: Int32Array[][] = [];
  for (let start = 0; start < tokens.length; start += TEXTS_PER_REQUEST) {
    const request = tokens.slice(start, start + TEXTS_PER_REQUEST);
    for (const batch of planBatches(request.map((t) => t.ids.length), LIMITS)) batches.push(batch.map((i) => request[i]!.ids));
  }
  return { texts: texts.length, batches };
}
