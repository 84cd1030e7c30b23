import fc from 'fast-check';

/** Characters and sequences that break naive text handling: NUL, BOM, CR/LF, bidi, ZWJ emoji, tokenizer specials. */
const SPECIALS = ['\u0000', '\uFEFF', '\r\n', '\r', '\n', '\t', '\u200B', '\u202E', '\u0085', '\u2028', '🙂', '👨‍👩‍👧', 'e\u0301', '中文テキスト', '\u{10FFFF}', '\uFFFE', '\\', '"', "'", '</script>', '[CLS]', '[SEP]', '[PAD]', '[UNK]', '[MASK]', '##ing', '%s%n', '${x}', '{{x}}'] as const;

/** A single UTF-16 code unit from the surrogate range, never paired: not valid Unicode text. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const piece = fc.oneof(
  { arbitrary: fc.lorem({ maxCount: 8 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 2 },
  { arbitrary: fc.constantFrom(...SPECIALS), weight: 3 },
  { arbitrary: loneSurrogate, weight: 1 },
);

/** Short hostile text: a mix of words, arbitrary code points, specials and lone surrogates. */
export const hostileText = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

/** Hostile text that stays under `maxChars` UTF-16 units (a repeated piece up to the limit, now and then). */
export function textUnder(maxChars: number): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: hostileText, weight: 20 },
    { arbitrary: fc.tuple(piece, fc.integer({ min: 1, max: maxChars })).map(([p, n]) => (p || 'x').repeat(n).slice(0, n)), weight: 1 },
  ).map((t) => t.slice(0, maxChars));
}

/** Any JSON value, small: for fields that expect something specific. */
export const anyJson = fc.jsonValue({ maxDepth: 3 });
