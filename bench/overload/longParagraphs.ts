import { readFileSync } from 'node:fs';
import { buildCorpus } from '../corpus/buildCorpus.js';

/** Characters of the paragraphs used: ≈ 90–280 word pieces, long but within the model's 256-token window mostly. */
export const PARAGRAPH_CHARS = { min: 400, max: 1200 } as const;

/**
 * Long paragraphs from the fixed-seed Debian-description corpus (bench/corpus): its `paragraph`
 * and `description` texts of 400–1,200 characters, in corpus order.
 */
export async function longParagraphs(): Promise<string[]> {
  const { file } = await buildCorpus({ size: 10_000, seed: 42 });
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; text: string })
    .filter(({ id, text }) => /^(paragraph|description):/.test(id) && text.length >= PARAGRAPH_CHARS.min && text.length <= PARAGRAPH_CHARS.max)
    .map(({ text }) => text);
}
