import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import { DEFAULT_SESSION_TUNING, sessionTuningFrom, toSessionOptions, tuningForDevice } from '../../../../core/encoder/sessionTuning.js';
import type { InferenceDeviceSpec } from '../../../../core/ports/InferenceDevice.js';

const spec = (overrides: Partial<InferenceDeviceSpec>): InferenceDeviceSpec => ({ id: 'd', provider: 'cpu', workers: 1, intraOpThreads: 1, variant: 'fp32', ...overrides });

describe('session tuning', () => {
  it('takes the encoder.* knobs from the configuration', () => {
    const config = configSchema.parse({ encoder: { intraOpThreads: 3, interOpThreads: 2, allowSpinning: true, executionProviders: ['webgpu', 'cpu'] } });

    expect(sessionTuningFrom(config)).to.deep.include({ intraOpThreads: 3, interOpThreads: 2, allowSpinning: true, executionProviders: ['webgpu', 'cpu'] });
  });

  it("gives a device its own provider, fallbacks and thread count over the shared knobs", () => {
    const tuning = tuningForDevice(DEFAULT_SESSION_TUNING, spec({ provider: 'webgpu', fallbackProviders: ['cpu'], intraOpThreads: 4 }));

    expect(tuning).to.deep.include({ executionProviders: ['webgpu', 'cpu'], intraOpThreads: 4, interOpThreads: DEFAULT_SESSION_TUNING.interOpThreads });
  });

  it('binds a cuda session to the GPU the device names', () => {
    const options = toSessionOptions(tuningForDevice(DEFAULT_SESSION_TUNING, spec({ provider: 'cuda', deviceId: 1, fallbackProviders: ['cpu'] })));

    expect(options.executionProviders).to.deep.equal([{ name: 'cuda', deviceId: 1 }, 'cpu']);
  });

  it("passes providers by name when no GPU is chosen, leaving ONNX Runtime's default device", () => {
    const options = toSessionOptions(tuningForDevice(DEFAULT_SESSION_TUNING, spec({ provider: 'cuda' })));

    expect(options.executionProviders).to.deep.equal(['cuda']);
  });
});
