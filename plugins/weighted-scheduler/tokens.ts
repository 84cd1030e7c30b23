import type { ServiceIdentifier } from 'inversify';
import type { WeightedSchedulerConfig } from './config.js';
import type { DevicePicker } from './strategies/DevicePicker.js';

/** This plugin's parsed `pluginOptions.weighted-scheduler` section. */
export const WEIGHTED_SCHEDULER_CONFIG: ServiceIdentifier<WeightedSchedulerConfig> = Symbol.for('embedline.plugins.weightedScheduler.Config');

/** The strategy (`strategy`) that picks a device for each batch. */
export const DEVICE_PICKER: ServiceIdentifier<DevicePicker> = Symbol.for('embedline.plugins.weightedScheduler.DevicePicker');

/**
 * Milliseconds on a monotonic clock (performance.now in production): what device lanes time
 * batches and queue waits with. Simulations pass a virtual clock, so speed, balance and busy
 * time can be checked without measuring the machine.
 */
export const LANE_CLOCK: ServiceIdentifier<() => number> = Symbol.for('embedline.plugins.weightedScheduler.LaneClock');
