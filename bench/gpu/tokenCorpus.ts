import { readFile, writeFile } from 'node:fs/promises';

/**
 * Real text, already tokenized, for machines that have no tokenizer (the GPU machine carries
 * no `tokenizers` native module), with the fp32 export's vectors for the same texts computed
 * where the corpus was packed, so the GPU run can check its own vectors against them.
 */
export interface TokenCorpus {
  readonly source: string;
  readonly maxTokens: number;
  readonly dimensions: number;
  readonly ids: readonly (readonly number[])[];
}

export const CORPUS_FILE = 'corpus-tokens.json';
/** Float32, little-endian, texts × dimensions, row-major. */
export const REFERENCE_FILE = 'reference-fp32.f32';

export async function writeTokenCorpus(dir: string, corpus: TokenCorpus, reference: readonly Float32Array[]): Promise<void> {
  await writeFile(`${dir}/${CORPUS_FILE}`, JSON.stringify(corpus));
  const flat = new Float32Array(reference.length * corpus.dimensions);
  reference.forEach((vector, i) => flat.set(vector, i * corpus.dimensions));
  await writeFile(`${dir}/${REFERENCE_FILE}`, new Uint8Array(flat.buffer));
}

export async function readTokenCorpus(dir: string): Promise<{ corpus: TokenCorpus; reference: Float32Array[] }> {
  const corpus = JSON.parse(await readFile(`${dir}/${CORPUS_FILE}`, 'utf8')) as TokenCorpus;
  const bytes = await readFile(`${dir}/${REFERENCE_FILE}`);
  const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const reference = corpus.ids.map((_, i) => flat.subarray(i * corpus.dimensions, (i + 1) * corpus.dimensions));
  return { corpus, reference };
}
