import { expect } from 'chai';
import { loadConfig } from '../../../core/config/loadConfig.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { runCli } from '../../support/cli.js';
import { cosine, embedTexts, realModel, startRealRuntime } from '../../support/model.js';
import { modelStoreFor } from '../../../core/model/modelSources.js';
import { VARIANT_FILES, type ModelVariant } from '../../../core/model/modelInfo.js';

/** Worst cosine of `variant`'s vectors against the fp32 export's, with the text it happened on. */
async function worstAgainstFp32(variant: ModelVariant, reference: readonly Float32Array[]): Promise<{ cos: number; text: string }> {
  let runtime: EmbedlineRuntime | undefined;
  try {
    runtime = await startRealRuntime({ variant });
    const vectors = await embedTexts(runtime, VARIED_SENTENCES);
    let worst = { cos: Infinity, text: '' };
    vectors.forEach((v, i) => {
      const cos = cosine(v, reference[i]!);
      if (cos < worst.cos) worst = { cos, text: VARIED_SENTENCES[i]! };
    });
    return worst;
  } finally {
    await runtime?.close();
  }
}

describe('GPU-ready variants built by `embedline model optimize` (run on the CPU EP)', () => {
  let reference: Float32Array[];
  const config = loadConfig(process.env);

  before(async function () {
    // A fresh machine creates the optimizer's venv and pip-installs its pins first (~1 minute).
    this.timeout(600_000);
    await realModel();
    const built = await runCli(['model', 'optimize', '--variant', 'gpu-fp16', 'gpu-fp32']);
    expect(built.code, built.stderr).to.equal(0);
    const runtime = await startRealRuntime({ variant: 'fp32' });
    try {
      reference = await embedTexts(runtime, VARIED_SENTENCES);
    } finally {
      await runtime.close();
    }
    // The cosine claims below are about 200+ real sentences; a shrunken fixture must not pass them.
    expect(reference.length, 'sentences compared').to.be.at.least(200);
  });

  it('records both variants in manifest.json with sha256 sums that match the files', async () => {
    const { store } = modelStoreFor(config);
    const manifest = await store.readManifest(config.model.name);
    expect(manifest.files[VARIANT_FILES['gpu-fp16']]?.source).to.match(/^optimize:/);
    expect(manifest.files[VARIANT_FILES['gpu-fp32']]?.source).to.match(/^optimize:/);
    expect(await store.verify(config.model.name)).to.deep.equal([]);
  });

  it('gives vectors of the fused fp32 graph that match the fp32 export (cosine ≥ 0.99999)', async () => {
    const worst = await worstAgainstFp32('gpu-fp32', reference);
    expect(worst.cos, `worst on ${JSON.stringify(worst.text.slice(0, 80))}`).to.be.at.least(0.99999);
  });

  it('gives vectors of the fused fp16 graph that match the fp32 export (cosine ≥ 0.9995)', async () => {
    const worst = await worstAgainstFp32('gpu-fp16', reference);
    expect(worst.cos, `worst on ${JSON.stringify(worst.text.slice(0, 80))}`).to.be.at.least(0.9995);
  });

  it('skips the build when the manifest already records the variants', async () => {
    const again = await runCli(['model', 'optimize', '--variant', 'gpu-fp16', 'gpu-fp32']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.include('already built');
  });
});
