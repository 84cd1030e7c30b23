/**
 * JSON Lines: one JSON object per line, each line ending in `\n`, so a reader (or a resumed
 * writer) can tell a complete row from one cut short.
 *
 * @example
 * jsonlLine({ id: 'a', embedding: [0.5] }); // '{"id":"a","embedding":[0.5]}\n'
 */
export function jsonlLine(row: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(row)}\n`;
}

/** Rows as one JSON Lines document (empty for no rows). */
export function jsonlDocument(rows: readonly Readonly<Record<string, unknown>>[]): string {
  return rows.map(jsonlLine).join('');
}

/** Parses a JSON Lines document; a last line without its `\n` is incomplete and ignored. */
export function parseJsonlDocument(text: string): unknown[] {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
}
