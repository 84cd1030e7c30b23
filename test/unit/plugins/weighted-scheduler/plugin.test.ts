import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../../../core/config/loadConfig.js';
import { buildContainer } from '../../../../core/container.js';
import { DEVICE_SCHEDULER } from '../../../../core/ports/DeviceScheduler.js';
import { LocalDeviceScheduler } from '../../../../core/pipeline/LocalDeviceScheduler.js';
import { PLUGIN_CATALOGUE } from '../../../../plugins/index.js';
import { DEVICE_PICKER } from '../../../../plugins/weighted-scheduler/tokens.js';
import { RoundRobinPicker } from '../../../../plugins/weighted-scheduler/strategies/RoundRobinPicker.js';
import { WeightedDeviceScheduler } from '../../../../plugins/weighted-scheduler/WeightedDeviceScheduler.js';
import { testCacheDir } from '../../../support/runtime.js';

function containerFor(env: Record<string, string>, pluginOptions: Record<string, unknown> = {}) {
  const config = loadConfig({ EMBEDLINE_CACHE_DIR: testCacheDir(), ...env }, undefined, tmpdir());
  return buildContainer({ ...config, pluginOptions }, PLUGIN_CATALOGUE);
}

describe('weighted-scheduler plugin wiring', () => {
  it('replaces the local scheduler when EMBEDDING_MULTI_GPU_ENABLED is true', async () => {
    const scheduler = await containerFor({ EMBEDDING_MULTI_GPU_ENABLED: 'true' }).getAsync(DEVICE_SCHEDULER);

    expect(scheduler).to.be.instanceOf(WeightedDeviceScheduler);
  });

  it('leaves the local scheduler in place when the switch is off', async () => {
    const scheduler = await containerFor({ EMBEDDING_MULTI_GPU_ENABLED: 'false' }).getAsync(DEVICE_SCHEDULER);

    expect(scheduler).to.be.instanceOf(LocalDeviceScheduler);
  });

  it('picks devices in turn when strategy is round-robin', async () => {
    const container = containerFor({ EMBEDDING_MULTI_GPU_ENABLED: 'true' }, { 'weighted-scheduler': { strategy: 'round-robin' } });

    expect(container.get(DEVICE_PICKER)).to.be.instanceOf(RoundRobinPicker);
  });
});
