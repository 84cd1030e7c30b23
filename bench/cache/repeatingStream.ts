import { readAptDescriptions } from '../corpus/aptSource.js';

export interface RepeatingStream {
  readonly texts: readonly string[];
  /** Where the window starts in the full synopsis + paragraph stream. */
  readonly offset: number;
  /** Share of the window's texts seen earlier in the window: the best hit rate any exact cache can reach on one pass. */
  readonly repeatShare: number;
  readonly distinct: number;
}

/**
 * Real text with real repetition: every package's synopsis and description paragraphs from this
 * machine's apt lists, in the lists' order (related packages sit together and share paragraphs:
 * "This package contains the development files", a library's long description on each of its
 * binary packages). Returns the first `size`-text window, in steps of `size / 2`, whose repeat
 * share reaches `minRepeatShare` (the issue's stream had two thirds).
 */
export async function repeatingStream(size = 4_000, minRepeatShare = 2 / 3): Promise<RepeatingStream> {
  const all: string[] = [];
  for (const pkg of (await readAptDescriptions()).values()) all.push(pkg.synopsis, ...pkg.paragraphs);
  for (let offset = 0; offset + size <= all.length; offset += size / 2) {
    const texts = all.slice(offset, offset + size);
    const distinct = new Set(texts).size;
    const repeatShare = (size - distinct) / size;
    if (repeatShare >= minRepeatShare) return { texts, offset, repeatShare, distinct };
  }
  throw new Error(`no ${size}-text window of the apt descriptions repeats ${(minRepeatShare * 100).toFixed(0)}% of its texts`);
}
