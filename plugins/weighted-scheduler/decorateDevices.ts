import { ContainerModule } from 'inversify';
import { DEVICE_FACTORY, type InferenceDevice } from './InferenceDevice.js';

/**
 * A module that wraps every device the plugin builds: added latency or faults in tests and
 * benchmarks, tracing in production. Load it after the plugin (as a `buildContainer` override).
 *
 * @example
 * startEmbedline(config, PLUGIN_CATALOGUE, [decorateDevices((d) => (d.spec.id === 'cpu-1' ? new SlowDevice(d, 3) : d))]);
 */
export function decorateDevices(decorate: (device: InferenceDevice) => InferenceDevice): ContainerModule {
  return new ContainerModule(({ onActivation }) => {
    onActivation(DEVICE_FACTORY, (_context, factory) => (spec) => decorate(factory(spec)));
  });
}
