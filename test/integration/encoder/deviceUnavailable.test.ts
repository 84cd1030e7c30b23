import { expect } from 'chai';
import { isEmbedlineError } from '../../../core/errors.js';
import { embedTexts, startRealRuntime } from '../../support/model.js';

describe('asking for the WebGPU execution provider where no GPU adapter exists', () => {
  const saved = { VK_DRIVER_FILES: process.env.VK_DRIVER_FILES, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES };

  before(() => {
    // Point the Vulkan loader at no driver, so "no adapter" holds even on a machine with a GPU;
    // on machines without a Vulkan loader at all the result is the same.
    process.env.VK_DRIVER_FILES = '/nonexistent/embedline-no-icd.json';
    process.env.VK_ICD_FILENAMES = '/nonexistent/embedline-no-icd.json';
  });

  after(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('rejects the runtime start with EMBEDLINE_DEVICE_UNAVAILABLE and leaves the process running', async () => {
    const error = await startRealRuntime({ workers: 1, executionProviders: ['webgpu'] }).then(
      async (runtime) => {
        await runtime.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(isEmbedlineError(error) && error.code, String(error)).to.equal('EMBEDLINE_DEVICE_UNAVAILABLE');
  });

  it('still starts a CPU runtime in the same process afterwards', async () => {
    const runtime = await startRealRuntime({ workers: 1 });
    try {
      const [vector] = await embedTexts(runtime, ['still alive']);
      expect(vector).to.have.length(384);
    } finally {
      await runtime.close();
    }
  });
});
