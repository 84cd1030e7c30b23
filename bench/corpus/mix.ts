/**
 * Turns package descriptions into a benchmark mix of short and long texts: synopses, single
 * sentences, paragraphs, whole descriptions, and bundles of several descriptions that run past the
 * model's 256-token window. The default shares were tuned against the model's tokenizer (see
 * README.md) for a median near 25–30 word pieces, p90 near 90 and p99 past 256.
 *
 * @example
 * const texts = assembleCorpus(packages.values(), 10_000, mulberry32(42));
 */
import type { PackageText } from './debianDescriptions.js';
import { randomInt, shuffled, type Random } from './prng.js';

export type TextKind = 'synopsis' | 'sentence' | 'paragraph' | 'description' | 'bundle';

export interface CorpusText {
  readonly id: string;
  readonly kind: TextKind;
  readonly text: string;
}

export type Mix = Readonly<Record<TextKind, number>>;

/** Shares of the corpus per kind; synopses, filled last, take whatever the others leave. */
export const DEFAULT_MIX: Mix = { synopsis: 0.145, sentence: 0.38, paragraph: 0.27, description: 0.19, bundle: 0.015 };

/** Bundles are cut at a character target drawn from this range (≈ 270–750 word pieces). */
const BUNDLE_CHARS = { min: 1_200, max: 3_200 } as const;

/** A few descriptions are long lists (every font in a family, every module in a bundle), not prose. */
const MAX_DESCRIPTION_CHARS = 6_000;

/** Scarce kinds first, so deduplication never starves them. */
const FILL_ORDER = ['bundle', 'description', 'paragraph', 'sentence', 'synopsis'] as const;

interface Candidate {
  readonly id: string;
  readonly text: string;
}

/** Deduplicated (case- and whitespace-insensitive) and shuffled; shorter than `size` only when the lists run dry. */
export function assembleCorpus(
  packages: Iterable<PackageText>,
  size: number,
  random: Random,
  mix: Mix = DEFAULT_MIX,
): CorpusText[] {
  const ordered = [...packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  const picked: CorpusText[] = [];
  for (const kind of FILL_ORDER) {
    // The last kind (synopses, the largest pool) absorbs rounding and any pool that ran dry.
    const quota = kind === FILL_ORDER.at(-1) ? size - picked.length : Math.round(size * mix[kind]);
    const candidates = kind === 'bundle' ? bundles(ordered, quota, random) : perPackage(ordered, kind, random);
    let taken = 0;
    for (const candidate of candidates) {
      if (taken >= quota || picked.length >= size) break;
      const key = candidate.text.toLowerCase().replace(/\s+/g, ' ').trim();
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      picked.push({ ...candidate, kind });
      taken++;
    }
  }
  return shuffled(picked, random);
}

/** One candidate per package per pass, packages in a seeded order, so a kind spreads over many packages. */
function* perPackage(packages: readonly PackageText[], kind: Exclude<TextKind, 'bundle'>, random: Random): Generator<Candidate> {
  const lists = shuffled(packages, random).map((p) => shuffled(candidatesOf(p, kind), random));
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let pass = 0; pass < longest; pass++) {
    for (const list of lists) {
      const candidate = list[pass];
      if (candidate) yield candidate;
    }
  }
}

function candidatesOf(pkg: PackageText, kind: Exclude<TextKind, 'bundle'>): Candidate[] {
  switch (kind) {
    case 'synopsis':
      return pkg.synopsis === '' ? [] : [{ id: `synopsis:${pkg.name}`, text: pkg.synopsis }];
    case 'description':
      return isProse(pkg) ? [{ id: `description:${pkg.name}`, text: wholeDescription(pkg) }] : [];
    case 'paragraph':
      return pkg.paragraphs.map((text, i) => ({ id: `paragraph:${pkg.name}:${i}`, text }));
    case 'sentence':
      return sentencesOf(pkg.paragraphs)
        .filter((text) => text.split(/\s+/).length >= 4)
        .map((text, i) => ({ id: `sentence:${pkg.name}:${i}`, text }));
  }
}

function isProse(pkg: PackageText): boolean {
  return pkg.paragraphs.length > 0 && wholeDescription(pkg).length <= MAX_DESCRIPTION_CHARS;
}

function wholeDescription(pkg: PackageText): string {
  return [pkg.synopsis, ...pkg.paragraphs].join('\n\n');
}

/** Splits after . ! ? when the next word starts like a sentence, so "e.g. foo" and "v1.2" stay whole. */
function sentencesOf(paragraphs: readonly string[]): string[] {
  return paragraphs
    .flatMap((paragraph) => paragraph.split('\n'))
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=["'(\[]?[A-Z0-9])/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

function* bundles(packages: readonly PackageText[], quota: number, random: Random): Generator<Candidate> {
  const described = shuffled(packages.filter(isProse), random);
  let next = 0;
  for (let made = 0; made < quota * 2 && next < described.length; made++) {
    const target = randomInt(random, BUNDLE_CHARS.min, BUNDLE_CHARS.max);
    const parts: PackageText[] = [];
    let chars = 0;
    while (chars < target && next < described.length) {
      const pkg = described[next++] as PackageText;
      parts.push(pkg);
      chars += wholeDescription(pkg).length + 2;
    }
    yield { id: `bundle:${parts.map((p) => p.name).join('+')}`, text: parts.map(wholeDescription).join('\n\n') };
  }
}
