import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddingLine, JsonlWriter, NpyWriter } from '../../../../adapters/cli/embed/outputWriters.js';
import { float32Rows, readNpy } from '../encoding/npyReader.js';

describe('embed command output writers', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-writers-'));
  });

  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes one {"id","embedding"} line per vector', async () => {
    const path = join(dir, 'out.jsonl');
    const { writer } = await JsonlWriter.open(path, false);

    await writer.write('a', Float32Array.of(0.5, -1));
    await writer.write('b', Float32Array.of(2, 0.25));
    await writer.close();

    expect(await readFile(path, 'utf8')).to.equal('{"id":"a","embedding":[0.5,-1]}\n{"id":"b","embedding":[2,0.25]}\n');
  });

  it('on resume cuts a half-written last line and reports only the complete ids', async () => {
    const path = join(dir, 'out.jsonl');
    await writeFile(path, `${embeddingLine('a', Float32Array.of(1))}${embeddingLine('b', Float32Array.of(2))}{"id":"c","embed`);

    const { writer, done } = await JsonlWriter.open(path, true);
    await writer.write('c', Float32Array.of(3));
    await writer.close();

    expect([...done]).to.deep.equal(['a', 'b']);
    expect((await readFile(path, 'utf8')).split('\n')).to.deep.equal(['{"id":"a","embedding":[1]}', '{"id":"b","embedding":[2]}', '{"id":"c","embedding":[3]}', '']);
  });

  it('writes a (rows, dims) float32 .npy file whose rows read back in order', async () => {
    const path = join(dir, 'out.npy');
    const rows = [Float32Array.of(0.5, -1, 3), Float32Array.of(1e-7, 42, 0.1)];
    const writer = await NpyWriter.open(path, rows.length, 3);

    for (const [i, row] of rows.entries()) await writer.write(String(i), row);
    await writer.close();

    const parsed = readNpy(await readFile(path));
    expect([parsed.descr, parsed.fortranOrder, parsed.shape]).to.deep.equal(['<f4', false, [2, 3]]);
    expect(float32Rows(parsed)).to.deep.equal(rows.map((r) => Array.from(r)));
  });
});
