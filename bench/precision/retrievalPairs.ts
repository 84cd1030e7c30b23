/**
 * A retrieval task from real text: each Debian package's one-line synopsis is a query whose one
 * relevant document is the package's long description; the corpus is every pair's description.
 *
 * Packages whose synopsis or description is shared with another package (lib*-dev / -doc
 * families often copy both) are left out entirely, so every query has exactly one right answer.
 * Packages are sorted by name, then shuffled with mulberry32(seed): the first `pairs` are the
 * evaluation set, the next `heldOut` packages are never evaluated and give calibration text
 * (their synopses and descriptions) for anything that must not see the evaluation set.
 *
 * @example
 * const task = retrievalTask(await readAptDescriptions(), { pairs: 2000, heldOut: 1000, seed: 42 });
 * task.queries[0]; // a synopsis; task.documents[0] is its description
 */
import type { PackageText } from '../corpus/debianDescriptions.js';
import { mulberry32, shuffled } from '../corpus/prng.js';

export interface RetrievalTaskOptions {
  readonly pairs: number;
  readonly heldOut: number;
  readonly seed: number;
}

export interface RetrievalTask {
  /** Package names, `queries[i]` and `documents[i]` belong to `packages[i]`. */
  readonly packages: readonly string[];
  readonly queries: readonly string[];
  readonly documents: readonly string[];
  /** Synopses and descriptions of packages outside the evaluation set, for calibration. */
  readonly calibrationTexts: readonly string[];
}

/** Shortest description kept: a one-line description is closer to a second synopsis than a document. */
const MIN_DESCRIPTION_CHARS = 80;

export function retrievalTask(packages: ReadonlyMap<string, PackageText>, options: RetrievalTaskOptions): RetrievalTask {
  const { pairs, heldOut, seed } = options;
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`pairs must be a positive integer, got ${pairs}`);
  if (!Number.isInteger(heldOut) || heldOut < 0) throw new RangeError(`heldOut must be a non-negative integer, got ${heldOut}`);
  const candidates = uniquePairs(packages);
  const order = shuffled(candidates, mulberry32(seed));
  if (order.length < pairs + heldOut) {
    throw new RangeError(`only ${order.length} packages have a unique synopsis and description; asked for ${pairs} pairs + ${heldOut} held out`);
  }
  const evaluated = order.slice(0, pairs);
  const calibration = order.slice(pairs, pairs + heldOut);
  return {
    packages: evaluated.map((p) => p.name),
    queries: evaluated.map((p) => p.synopsis),
    documents: evaluated.map((p) => p.description),
    calibrationTexts: calibration.flatMap((p) => [p.synopsis, p.description]),
  };
}

interface Pair {
  readonly name: string;
  readonly synopsis: string;
  readonly description: string;
}

function uniquePairs(packages: ReadonlyMap<string, PackageText>): Pair[] {
  const pairs = [...packages.values()]
    .map((p) => ({ name: p.name, synopsis: p.synopsis.trim(), description: p.paragraphs.join('\n').trim() }))
    .filter((p) => p.synopsis !== '' && p.description.length >= MIN_DESCRIPTION_CHARS)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const synopses = counts(pairs.map((p) => normalize(p.synopsis)));
  const descriptions = counts(pairs.map((p) => normalize(p.description)));
  return pairs.filter((p) => synopses.get(normalize(p.synopsis)) === 1 && descriptions.get(normalize(p.description)) === 1);
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function counts(keys: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const key of keys) out.set(key, (out.get(key) ?? 0) + 1);
  return out;
}
