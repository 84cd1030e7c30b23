import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { EmbedlineError } from '../../../core/errors.js';

export interface InputRow {
  readonly id: string;
  readonly text: string;
}

export type InputFormat = 'txt' | 'jsonl' | 'csv';

export interface ReadOptions {
  readonly format?: InputFormat | undefined;
  /** Text column (CSV) or field (JSONL). */
  readonly column: string;
  /** Id column or field; rows without one are numbered by line. */
  readonly idColumn: string;
}

export function formatOf(path: string, explicit?: InputFormat): InputFormat {
  if (explicit) return explicit;
  const ext = extname(path).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' ? 'csv' : 'txt';
}

/**
 * Reads a text file (one text per line), JSONL (a `text` field per line) or CSV (a named
 * column) into rows with stable ids, so a resumed run can tell what is done. The file must be
 * UTF-8 (a leading BOM is dropped); anything it cannot read is an `EMBEDLINE_BAD_INPUT` error
 * naming the file and line.
 *
 * @example
 * const rows = await readInputs('docs.csv', { column: 'text', idColumn: 'id' });
 * rows[0]; // { id: 'doc-1', text: 'First document.' }
 */
export async function readInputs(path: string, options: ReadOptions): Promise<InputRow[]> {
  const content = decodeUtf8(path, await readFile(path));
  switch (formatOf(path, options.format)) {
    case 'txt':
      return content
        .split('\n')
        .map((line, i) => ({ id: String(i + 1), text: line.replace(/\r$/, '') }))
        .filter((row, i, all) => !(i === all.length - 1 && row.text === ''));
    case 'jsonl':
      return content.split('\n').flatMap((line, i) => (line.trim() === '' ? [] : [jsonlRow(path, line, i + 1, options)]));
    case 'csv':
      return csvRows(path, content, options);
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16_BOMS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

/** Strict UTF-8: a replacement character silently embedded in place of bad bytes would be a wrong vector nobody notices. */
function decodeUtf8(path: string, bytes: Buffer): string {
  if (UTF16_BOMS.some((bom) => bytes.subarray(0, 2).equals(bom))) {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${path} starts with a UTF-16 byte order mark; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8).`, { file: path, line: 1 });
  }
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const line = firstInvalidLine(body);
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${path} line ${line} is not valid UTF-8; re-encode the file as UTF-8.`, { file: path, line });
  }
}

/** Only on the error path: decodes line by line to say where the bad bytes are. */
function firstInvalidLine(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = 1;
  for (let start = 0; start <= bytes.length; line += 1) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
  }
  // Lines are split at 0x0A, which never occurs inside a multi-byte sequence, so some line fails.
  return line - 1;
}

function csvRows(path: string, content: string, options: ReadOptions): InputRow[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(content, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
  } catch (error) {
    const { code, lines } = error as { code?: unknown; lines?: unknown };
    const line = typeof lines === 'number' ? lines : undefined;
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${path}${line === undefined ? '' : ` line ${line}`} is not valid CSV (${String(code ?? 'parse error')}: ${(error as Error).message}); fix the quoting or pick --format txt.`, { file: path, line }, { cause: error });
  }
  if (records.length > 0 && !(options.column in records[0]!)) {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${path} has no column "${options.column}"; columns: ${Object.keys(records[0]!).join(', ')}. Pick one with --column.`, { file: path, line: 1 });
  }
  return records.map((record, i) => ({ id: record[options.idColumn] ?? String(i + 1), text: record[options.column] ?? '' }));
}

function jsonlRow(path: string, line: string, lineNo: number, options: ReadOptions): InputRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${path} line ${lineNo} is not valid JSON; write one JSON object per line.`, { file: path, line: lineNo });
  }
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const text = record?.[options.column];
  if (typeof text !== 'string') throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${path} line ${lineNo} has no string field "${options.column}"; pick the field with --column.`, { file: path, line: lineNo });
  const id = record![options.idColumn];
  return { id: typeof id === 'string' || typeof id === 'number' ? String(id) : String(lineNo), text };
}
