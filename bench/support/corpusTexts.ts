import { readFileSync } from 'node:fs';
import { buildCorpus } from '../corpus/buildCorpus.js';

/** The first `count` texts of the fixed-seed Debian-description corpus (built once, cached). */
export async function corpusTexts(count: number, seed = 42): Promise<string[]> {
  const { file } = await buildCorpus({ size: 10_000, seed });
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(0, count)
    .map((line) => (JSON.parse(line) as { text: string }).text);
}
