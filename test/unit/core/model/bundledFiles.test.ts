import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_CATALOGUE } from '../../../../core/model/catalogue.js';
import { sha256Buffer } from '../../../../core/model/fileDigest.js';
import { readModelDefinition } from '../../../../core/model/modelDefinition.js';

/** The files config/models/ ships: pinned like registry files, and each model's definition as documented. */
describe('model files shipped in config/models/', () => {
  const EXPECTED = {
    'all-MiniLM-L6-v2': { pooling: { mode: 'mean', normalize: true }, maxSeqLength: 256, doLowerCase: false },
    'bge-small-en-v1.5': { pooling: { mode: 'cls', normalize: true }, maxSeqLength: 512, doLowerCase: true },
    'e5-small-v2': { pooling: { mode: 'mean', normalize: true }, maxSeqLength: 512, doLowerCase: false },
  } as const;

  for (const entry of Object.values(MODEL_CATALOGUE)) {
    it(`${entry.name}: every shipped file matches its pin`, async () => {
      expect(entry.bundled.length, 'shipped files').to.be.above(0);
      for (const file of entry.bundled) {
        const shipped = `config/models/${entry.name}/${file}`;
        expect(sha256Buffer(await readFile(join(process.cwd(), shipped))), shipped).to.equal(entry.pins[shipped]);
      }
    });

    it(`${entry.name}: defines the documented pooling, length, lower-casing and prompts`, async () => {
      const definition = await readModelDefinition(join(process.cwd(), 'config', 'models', entry.name), entry.dimensions, 512, entry);
      expect(definition).to.deep.include(EXPECTED[entry.name as keyof typeof EXPECTED]);
      expect(definition.prompts).to.deep.equal(entry.prompts ?? {});
      expect(definition.maxSeqLength).to.equal(entry.maxSeqLength);
    });
  }
});
