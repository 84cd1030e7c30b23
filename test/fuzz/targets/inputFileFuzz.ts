import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs, type InputRow } from '../../../adapters/cli/embed/readInputs.js';
import { EmbedlineError } from '../../../core/errors.js';
import { inputFileCase, type InputFileCase } from '../arbitraries/inputFiles.js';
import { runCases, type FuzzReport, type Judged } from '../runCases.js';

const READ_OPTIONS = { column: 'text', idColumn: 'id' } as const;

/**
 * The CLI's input reader (`embedline embed` and `enqueue` read files through it) on real files
 * in a temporary directory: each case is written with its format's extension and read back.
 * A well-formed file must give back exactly its texts; any file must either give rows of
 * strings or throw EMBEDLINE_BAD_INPUT naming the file and a line.
 */
export async function fuzzInputFiles(options: { count: number; seed: number; concurrency: number }): Promise<FuzzReport> {
  const dir = await mkdtemp(join(tmpdir(), 'embedline-fuzz-inputs-'));
  try {
    return await runCases('cli-input-files', inputFileCase, options, async (c, index) => {
      const path = join(dir, `case-${index}.${c.format}`);
      await writeFile(path, c.bytes);
      try {
        return judge(c, path, await readInputs(path, READ_OPTIONS).then((rows) => ({ rows }), (error: unknown) => ({ error })));
      } finally {
        await rm(path, { force: true });
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function judge(c: InputFileCase, path: string, outcome: { rows: InputRow[] } | { error: unknown }): Judged {
  if ('error' in outcome) {
    const { error } = outcome;
    const label = `${c.format}:rejected`;
    if (!(error instanceof EmbedlineError)) return { outcome: label, problem: `an untyped error: ${(error as Error).stack ?? String(error)}` };
    if (error.code !== 'EMBEDLINE_BAD_INPUT') return { outcome: label, problem: `code ${error.code}, expected EMBEDLINE_BAD_INPUT` };
    if (!error.message.includes(path)) return { outcome: label, problem: `the message does not name the file: ${error.message}` };
    if (typeof error.context.line !== 'number' || error.context.line < 1) return { outcome: label, problem: `no line in the error's context: ${error.message}` };
    if (c.texts) return { outcome: label, problem: `a well-formed ${c.format} file was rejected: ${error.message.slice(0, 300)}` };
    return { outcome: label };
  }
  const { rows } = outcome;
  const label = `${c.format}:read`;
  if (rows.some((r) => typeof r.id !== 'string' || typeof r.text !== 'string')) return { outcome: label, problem: 'a row whose id or text is not a string' };
  if (!c.texts) return { outcome: label };
  if (rows.length !== c.texts.length) return { outcome: label, problem: `${c.texts.length} texts written, ${rows.length} rows read` };
  const wrong = rows.findIndex((r, i) => r.text !== c.texts![i]);
  return wrong < 0 ? { outcome: label } : { outcome: label, problem: `row ${wrong} reads ${JSON.stringify(rows[wrong]!.text.slice(0, 80))}, written ${JSON.stringify(c.texts[wrong]!.slice(0, 80))}` };
}
