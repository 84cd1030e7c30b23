import { expect } from 'chai';
import { rm } from 'node:fs/promises';
import { configSchema } from '../../../core/config/schema.js';
import { EmbedlineError } from '../../../core/errors.js';
import { PlainAllocator } from '../../../core/encoder/packBatch.js';
import { DEFAULT_SESSION_TUNING } from '../../../core/encoder/sessionTuning.js';
import { WorkerPoolDevice } from '../../../core/encoder/WorkerPoolDevice.js';
import { openModelRuntime } from '../../../core/model/openModelRuntime.js';
import { cacheWithCorruptedModel } from '../../support/corruptedModel.js';
import { testCacheDir } from '../../support/runtime.js';

const MODEL = 'all-MiniLM-L6-v2';
const CORRUPTED = 'onnx/model.onnx';
const CORRUPTED_INT8 = 'onnx/model_quantized.onnx';

describe('model integrity on start', function () {
  this.timeout(60_000);
  let cacheDir: string;
  before(async () => {
    cacheDir = await cacheWithCorruptedModel(MODEL, CORRUPTED);
  });
  after(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('refuses a model file that no longer matches manifest.json, naming the file and the fix', async () => {
    const config = configSchema.parse({ cacheDir, model: { autoPull: false } });
    const error = await openModelRuntime(config).then(
      () => expect.fail('a corrupted model must not open'),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(EmbedlineError);
    const typed = error as EmbedlineError;
    expect(typed.code).to.equal('EMBEDLINE_MODEL_INTEGRITY');
    expect(typed.message).to.include(CORRUPTED).and.include(`embedline model pull ${MODEL} --force`);
    const files = typed.context['files'] as { file: string }[];
    expect(files.map((f) => f.file)).to.deep.equal([CORRUPTED]);
  });

  it('opens the same directory when verifyOnStart is off (the operator chose speed over the check)', async () => {
    const config = configSchema.parse({ cacheDir, model: { autoPull: false, verifyOnStart: false } });
    const runtime = await openModelRuntime(config);
    expect(runtime.model.dimensions).to.equal(384);
  });

  it('checks another variant\'s graph when a device loads it: a corrupted int8 file fails that device, not the runtime', async () => {
    const int8CacheDir = await cacheWithCorruptedModel(MODEL, CORRUPTED_INT8);
    try {
      const config = configSchema.parse({ cacheDir: int8CacheDir, model: { autoPull: false } });
      const runtime = await openModelRuntime(config);
      const spec = { id: 'cpu-int8', provider: 'cpu', workers: 1, intraOpThreads: 1, variant: 'int8' } as const;
      const device = new WorkerPoolDevice(spec, runtime.model, DEFAULT_SESSION_TUNING, new PlainAllocator(), true);
      const error = (await device.start().then(() => expect.fail('a corrupted int8 graph must not load'), (e: unknown) => e)) as EmbedlineError;
      expect(error.code).to.equal('EMBEDLINE_MODEL_INTEGRITY');
      expect((error.context['files'] as { file: string }[]).map((f) => f.file)).to.deep.equal([CORRUPTED_INT8]);
      await device.stop();
    } finally {
      await rm(int8CacheDir, { recursive: true, force: true });
    }
  });

  it('opens the intact model with the check on', async () => {
    const config = configSchema.parse({ cacheDir: testCacheDir(), model: { autoPull: false } });
    const runtime = await openModelRuntime(config);
    expect(runtime.tokenizer).to.not.equal(undefined);
  });
});
