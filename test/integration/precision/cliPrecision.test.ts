import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromLittleEndianBytes } from '../../../core/precision/quantize.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { runCli } from '../../support/cli.js';
import { readNpy } from '../../unit/adapters/encoding/npyReader.js';
import { calibratedStore, startPrecisionRuntime, type PrecisionRuntime } from './precisionRuntime.js';

const texts = VARIED_SENTENCES.slice(0, 5);

describe('embedline embed --precision on the real model', function () {
  this.timeout(240_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let served: PrecisionRuntime;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-cli-precision-'));
    await writeFile(join(dir, 'in.txt'), `${texts.join('\n')}\n`);
    env = { EMBEDLINE_CACHE_DIR: (await calibratedStore()).cacheDir, EMBEDLINE_PLUGINS: 'precision', EMBEDLINE_MODEL_AUTO_PULL: 'false' };
    served = await startPrecisionRuntime({ shadow: { sampleRate: 0 } });
  });
  after(async () => {
    await served?.runtime.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases = [
    { precision: 'int8', descr: '|i1', columns: 384 },
    { precision: 'int16', descr: '<i2', columns: 384 },
    { precision: 'ubinary', descr: '|u1', columns: 48 },
  ] as const;
  for (const { precision, descr, columns } of cases) {
    it(`writes --precision ${precision} as .npy with dtype ${descr}, shape (${texts.length}, ${columns}), rows equal to the server's vectors`, async () => {
      const out = join(dir, `${precision}.npy`);
      const result = await runCli(['embed', join(dir, 'in.txt'), '--precision', precision, '-o', out], env);
      expect(result.code, result.stderr).to.equal(0);
      const npy = readNpy(await readFile(out));
      expect([npy.descr, npy.shape]).to.deep.equal([descr, [texts.length, columns]]);
      const direct = await served.runtime.pipeline.embed(texts, { precision });
      direct.vectors.forEach((v, i) => {
        const bytes = v.quantized.data.byteLength;
        const got = fromLittleEndianBytes(npy.data.subarray(i * bytes, (i + 1) * bytes), v.quantized.format, v.quantized.dimensions).data;
        const want = v.quantized.data;
        // Another batch shape may move a value across a level boundary; never by more than one level.
        const worst = Math.max(...Array.from(got, (x, d) => Math.abs(x - want[d]!)));
        expect(worst, `row ${i}`).to.be.at.most(precision === 'ubinary' ? 0 : 1);
      });
    });
  }

  it('writes JSONL with integer embeddings and the precision served, the priority\'s when none is named', async () => {
    const result = await runCli(['embed', join(dir, 'in.txt'), '--priority', 'background'], env);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.contain('precision int8 (model int8, int8 vectors)');
    const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { precision: string; embedding: number[] });
    expect(rows.map((r) => r.precision)).to.deep.equal(texts.map(() => 'int8'));
    expect(rows.every((r) => r.embedding.length === 384 && r.embedding.every((x) => Number.isInteger(x) && x >= -128 && x <= 127))).to.equal(true);
  });

  it('exits 2 for an unknown --precision, naming the valid ones', async () => {
    const result = await runCli(['embed', join(dir, 'in.txt'), '--precision', 'int4'], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('valid precisions: fp32, float16, int16, int8, uint8, binary, ubinary');
  });
});
