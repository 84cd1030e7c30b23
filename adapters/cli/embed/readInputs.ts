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
 * column) into rows with stable ids, so a resumed run can tell what is done.
 */
export async function readInputs(path: string, options: ReadOptions): Promise<InputRow[]> {
  const content = await readFile(path, 'utf8');
  switch (formatOf(path, options.format)) {
    case 'txt':
      return content
        .split('\n')
        .map((line, i) => ({ id: String(i + 1), text: line.replace(/\r$/, '') }))
        .filter((row, i, all) => !(i === all.length - 1 && row.text === ''));
    case 'jsonl':
      return content.split('\n').flatMap((line, i) => (line.trim() === '' ? [] : [jsonlRow(line, i + 1, options)]));
    case 'csv': {
      const records = parseCsv(content, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
      if (records.length > 0 && !(options.column in records[0]!)) {
        throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `${path} has no column "${options.column}"; columns: ${Object.keys(records[0]!).join(', ')}. Pick one with --column.`);
      }
      return records.map((record, i) => ({ id: record[options.idColumn] ?? String(i + 1), text: record[options.column] ?? '' }));
    }
  }
}

function jsonlRow(line: string, lineNo: number, options: ReadOptions): InputRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `line ${lineNo} is not valid JSON`);
  }
  const record = value as Record<string, unknown>;
  const text = record?.[options.column];
  if (typeof text !== 'string') throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `line ${lineNo} has no string field "${options.column}"`);
  const id = record[options.idColumn];
  return { id: typeof id === 'string' || typeof id === 'number' ? String(id) : String(lineNo), text };
}
