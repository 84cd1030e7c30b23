import fc from 'fast-check';
import type { InputFormat } from '../../../adapters/cli/embed/readInputs.js';
import { hostileText } from './text.js';

/** One input file: its format and bytes, and, for files built well-formed, the texts a reader must return. */
export interface InputFileCase {
  readonly format: InputFormat;
  readonly bytes: Buffer;
  /** Set when the file was built well-formed: the texts in order. */
  readonly texts?: readonly string[] | undefined;
}

const ONE_MB = 1 << 20;

/** Valid Unicode only (lone surrogates replaced), so a text survives a UTF-8 round trip unchanged. */
const wellFormed = hostileText.map((t) => Buffer.from(t, 'utf8').toString('utf8'));

/** Byte sequences UTF-8 forbids: a stray continuation, overlong NUL, an encoded surrogate, a truncated sequence, 0xFF. */
const INVALID_UTF8 = [[0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff], [0xf4, 0x90, 0x80, 0x80], [0xe9]].map((b) => Buffer.from(b));

/** Pieces that break naive line, quote and encoding handling. */
const hostilePiece: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: hostileText.map((t) => Buffer.from(t, 'utf8')), weight: 8 },
  { arbitrary: fc.constantFrom(...INVALID_UTF8), weight: 2 },
  { arbitrary: fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b)), weight: 2 },
  { arbitrary: fc.constantFrom('\n', '\r\n', '\r', '\u0000', '\uFEFF', '"', '""', ',', ';', '\t', '{', '}', '[', '"text":', '{"text":"', '\\u', '\\ud800').map((s) => Buffer.from(s, 'utf8')), weight: 6 },
);

/** Now and then (one file in fifty) a line over 1 MB: rare, because each costs a megabyte written and decoded. */
const nowAndThen = fc.oneof({ arbitrary: fc.constant(false), weight: 49 }, { arbitrary: fc.constant(true), weight: 1 });

/** A prefix the file may start with: nothing, a UTF-8 BOM, a UTF-16 BOM. */
const prefix = fc.oneof({ arbitrary: fc.constant(Buffer.alloc(0)), weight: 6 }, { arbitrary: fc.constant(Buffer.from([0xef, 0xbb, 0xbf])), weight: 2 }, { arbitrary: fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])), weight: 1 });

const format = fc.constantFrom<InputFormat>('txt', 'jsonl', 'csv');

/** Anything at all in a file of any format: the reader must return rows or throw a typed error. */
const hostileFile: fc.Arbitrary<InputFileCase> = fc
  .record({ format, prefix, pieces: fc.array(hostilePiece, { maxLength: 24 }), long: nowAndThen, at: fc.nat() })
  .map(({ format: f, prefix: p, pieces, long, at }) => {
    if (long) pieces.splice(at % (pieces.length + 1), 0, Buffer.alloc(ONE_MB + 1, 0x6d));
    return { format: f, bytes: Buffer.concat([p, ...pieces]) };
  });

/** A line end: LF or CRLF, the last line with or without one. */
const lineEnd = fc.constantFrom('\n', '\r\n');

/**
 * A well-formed file of `texts`, written the way each format allows: txt lines (no line breaks
 * inside, no trailing CR), JSONL objects (any string, escaped), quoted CSV with an id column.
 */
const wellFormedFile: fc.Arbitrary<InputFileCase> = fc
  .record({ format, bom: fc.boolean(), eol: lineEnd, finalEol: fc.boolean(), texts: fc.array(wellFormed, { minLength: 1, maxLength: 12 }), long: nowAndThen })
  .map(({ format: f, bom, eol, finalEol, texts: raw, long }) => {
    const texts = long ? [...raw, 'l'.repeat(ONE_MB + 1)] : raw;
    const fitted = f === 'txt' ? texts.map((t, i) => txtSafe(t, i === 0)) : texts;
    const lines = f === 'txt' ? fitted : f === 'jsonl' ? fitted.map((text, i) => JSON.stringify({ id: `r${i}`, text })) : ['id,text', ...fitted.map((text, i) => `r${i},${csvQuote(text)}`)];
    const body = lines.join(eol) + (finalEol ? eol : '');
    return { format: f, bytes: Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(body, 'utf8')]), texts: fitted };
  })
  // In txt an empty last text without a line end after it is indistinguishable from a final line end.
  .filter((c) => !(c.format === 'txt' && c.texts[c.texts.length - 1] === ''));

/** txt holds one text per line: no LF inside, no CR at the end, and no BOM where the file starts. */
function txtSafe(text: string, first: boolean): string {
  const flat = text.replace(/\n/g, ' ').replace(/\r+$/, '');
  return first ? flat.replace(/^\uFEFF+/, '') : flat;
}

function csvQuote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Two hostile files to every well-formed one. */
export const inputFileCase: fc.Arbitrary<InputFileCase> = fc.oneof({ arbitrary: hostileFile, weight: 2 }, { arbitrary: wellFormedFile, weight: 1 });
