import { ContainerModule } from 'inversify';
import { INFERENCE_DEVICE_FACTORY, type InferenceDevice } from '../../core/ports/InferenceDevice.js';

/**
 * A module that wraps every device INFERENCE_DEVICE_FACTORY builds (for either scheduler):
 * added latency or faults in tests and benchmarks, tracing in production. Load it as a
 * `buildContainer` override.
 *
 * @example
 * startEmbedline(config, PLUGIN_CATALOGUE, [decorateDevices((d) => (d.spec.id === 'cpu-1' ? new SlowDevice(d, 3) : d))]);
 */
export function decorateDevices(decorate: (device: InferenceDevice) => InferenceDevice): ContainerModule {
  return new ContainerModule(({ onActivation }) => {
    onActivation(INFERENCE_DEVICE_FACTORY, (_context, factory) => (spec) => decorate(factory(spec)));
  });
}
