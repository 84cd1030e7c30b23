import { mulberry32, type Random } from '../corpus/prng.js';

/** How a near-duplicate was made from a text seen earlier in the stream. */
export type NearDuplicateKind = 'edit' | 'case-space' | 'boilerplate' | 'reorder' | 'tail';
export const NEAR_DUPLICATE_KINDS: readonly NearDuplicateKind[] = ['edit', 'case-space', 'boilerplate', 'reorder', 'tail'];

export interface NearDuplicateStream {
  readonly texts: readonly string[];
  /** Per text: the kind it was made as, or undefined for a text of the real stream. */
  readonly kinds: readonly (NearDuplicateKind | undefined)[];
}

/**
 * A real stream with realistic near-duplicates spliced in: after each real text, with
 * probability `share`, a variant of a text seen earlier (recent ones more likely, as related
 * packages sit together), made by one of the edits real metadata goes through —
 * - edit: one to three word-level edits (a word dropped, a letter changed, two words swapped),
 *   as between two versions of a description;
 * - case-space: case and whitespace changed (the token key's zero-error case, for reference);
 * - boilerplate: a sentence that is real boilerplate of this stream appended ("This package
 *   contains the header files…": the most repeated short paragraphs);
 * - reorder: two sentences swapped;
 * - tail: the last sentence of a long text (≥ 1,000 characters, one of the last 20 seen)
 *   replaced by another text's, so the texts differ only near or past the truncation point.
 * Seeded: the same input and seed give the same stream.
 *
 * @example
 * const { texts, kinds } = withNearDuplicates((await repeatingStream(4000)).texts, 0.3, 7);
 */
export function withNearDuplicates(real: readonly string[], share = 0.3, seed = 7): NearDuplicateStream {
  const random = mulberry32(seed);
  const boilerplate = commonShortParagraphs(real, 20);
  const texts: string[] = [];
  const kinds: (NearDuplicateKind | undefined)[] = [];
  const seen: string[] = [];
  const longTexts: string[] = [];
  for (const text of real) {
    texts.push(text);
    kinds.push(undefined);
    seen.push(text);
    if (text.length >= 1_000 && splitSentences(text).length >= 3) longTexts.push(text);
    if (random() >= share || seen.length < 2) continue;
    // Recent texts are likelier sources: an exponential look-back over the last ~200.
    const kind = NEAR_DUPLICATE_KINDS[Math.floor(random() * NEAR_DUPLICATE_KINDS.length)]!;
    // A tail edit needs a long text: the most recent of the last 20 long ones, at random.
    const pool = kind === 'tail' ? longTexts.slice(-20) : seen;
    if (pool.length === 0) continue;
    const source = kind === 'tail' ? pool[Math.floor(random() * pool.length)]! : pool[Math.max(0, pool.length - 1 - Math.floor(-Math.log(1 - random()) * 50))]!;
    const variant = makeVariant(kind, source, random, boilerplate, seen);
    if (variant === undefined || variant === source) continue;
    texts.push(variant);
    kinds.push(kind);
  }
  return { texts, kinds };
}

function makeVariant(kind: NearDuplicateKind, text: string, random: Random, boilerplate: readonly string[], seen: readonly string[]): string | undefined {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  switch (kind) {
    case 'edit': {
      const words = text.split(' ');
      if (words.length < 4) return undefined;
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * words.length);
        const op = Math.floor(random() * 3);
        if (op === 0 && words.length > 3) words.splice(at, 1);
        else if (op === 1) {
          const word = words[at]!;
          const c = Math.floor(random() * word.length);
          words[at] = word.slice(0, c) + String.fromCharCode(97 + Math.floor(random() * 26)) + word.slice(c + 1);
        } else if (at + 1 < words.length) [words[at], words[at + 1]] = [words[at + 1]!, words[at]!];
      }
      return words.join(' ');
    }
    case 'case-space':
      return text
        .split(' ')
        .map((w) => (random() < 0.3 ? w.toUpperCase() : w))
        .join(random() < 0.5 ? '  ' : ' \n');
    case 'boilerplate':
      return `${text} ${pick(boilerplate)}`;
    case 'reorder': {
      const sentences = splitSentences(text);
      if (sentences.length < 2) return undefined;
      const a = Math.floor(random() * (sentences.length - 1));
      [sentences[a], sentences[a + 1]] = [sentences[a + 1]!, sentences[a]!];
      return sentences.join(' ');
    }
    case 'tail': {
      if (text.length < 1_000) return undefined;
      const sentences = splitSentences(text);
      if (sentences.length < 3) return undefined;
      const other = splitSentences(pick(seen));
      sentences[sentences.length - 1] = other[other.length - 1]!;
      return sentences.join(' ');
    }
  }
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((s) => s !== '');
}

/** The stream's most repeated paragraphs under 120 characters: its real boilerplate. */
function commonShortParagraphs(texts: readonly string[], count: number): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) if (t.length < 120 && /[.]$/.test(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([t]) => t);
  return top.length > 0 ? top : ['This package contains the documentation.'];
}
