import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs, type InputRow } from '../../../../adapters/cli/embed/readInputs.js';
import { EmbedlineError } from '../../../../core/errors.js';

const OPTIONS = { column: 'text', idColumn: 'id' } as const;

describe('readInputs (CLI input files)', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'embedline-read-inputs-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  async function read(name: string, bytes: string | Buffer): Promise<InputRow[]> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return readInputs(path, OPTIONS);
  }

  async function rejection(name: string, bytes: string | Buffer): Promise<EmbedlineError> {
    const outcome = await read(name, bytes).then(
      (rows) => new Error(`expected a rejection, got ${rows.length} rows`),
      (error: unknown) => error,
    );
    expect(outcome).to.be.instanceOf(EmbedlineError);
    return outcome as EmbedlineError;
  }

  // Regression: a UTF-8 BOM became part of the first text, broke the first JSONL line and renamed the first CSV column.
  it('drops a UTF-8 byte order mark in txt, jsonl and csv', async () => {
    const bom = '\uFEFF';

    expect(await read('bom.txt', `${bom}first\nsecond\n`)).to.deep.equal([{ id: '1', text: 'first' }, { id: '2', text: 'second' }]);
    expect(await read('bom.jsonl', `${bom}{"id":"a","text":"first"}\n`)).to.deep.equal([{ id: 'a', text: 'first' }]);
    expect(await read('bom.csv', `${bom}text,id\nfirst,a\n`)).to.deep.equal([{ id: 'a', text: 'first' }]);
  });

  it('reads CRLF line ends in all three formats', async () => {
    expect(await read('crlf.txt', 'one\r\ntwo\r\n')).to.deep.equal([{ id: '1', text: 'one' }, { id: '2', text: 'two' }]);
    expect(await read('crlf.jsonl', '{"text":"one"}\r\n{"text":"two"}\r\n')).to.deep.equal([{ id: '1', text: 'one' }, { id: '2', text: 'two' }]);
    expect(await read('crlf.csv', 'id,text\r\na,one\r\nb,two\r\n')).to.deep.equal([{ id: 'a', text: 'one' }, { id: 'b', text: 'two' }]);
  });

  it('rejects invalid UTF-8 naming the file and the line that holds it', async () => {
    const error = await rejection('latin1.txt', Buffer.concat([Buffer.from('fine\nalso fine\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from('\n')]));

    expect(error.code).to.equal('EMBEDLINE_BAD_INPUT');
    expect(error.message).to.include('latin1.txt line 3 is not valid UTF-8');
    expect(error.context).to.deep.include({ line: 3 });
  });

  it('rejects a UTF-16 file at once rather than reading it as garbage', async () => {
    const error = await rejection('wide.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('text', 'utf16le')]));

    expect(error.message).to.include('UTF-16');
  });

  it('rejects a broken JSONL line and a line without the text field, naming the file and line', async () => {
    expect((await rejection('broken.jsonl', '{"text":"ok"}\n{"text":\n')).message).to.include('broken.jsonl line 2 is not valid JSON');
    expect((await rejection('field.jsonl', '{"text":"ok"}\n\n[1,2]\n')).message).to.include('field.jsonl line 3 has no string field "text"');
  });

  it('turns csv-parse errors into typed errors naming the file and line', async () => {
    const error = await rejection('quote.csv', 'id,text\na,fine\nb,"never closed\n');

    expect(error.message).to.match(/quote\.csv line \d+ is not valid CSV \(CSV_QUOTE_NOT_CLOSED/);
    expect(error.context.line).to.be.a('number');
  });

  it('reads ragged CSV rows, a missing text cell as an empty text', async () => {
    expect(await read('ragged.csv', 'id,text\na,one,extra,cells\nb\n')).to.deep.equal([{ id: 'a', text: 'one' }, { id: 'b', text: '' }]);
  });

  it('keeps NULs and a 1 MB line as they are', async () => {
    const long = 'w'.repeat(1 << 20);

    expect(await read('odd.txt', `a\u0000b\n${long}\n`)).to.deep.equal([{ id: '1', text: 'a\u0000b' }, { id: '2', text: long }]);
  });
});
