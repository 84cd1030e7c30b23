import { SlowDevice } from '../../../test/doubles/SlowDevice.js';
import type { InferenceDevice } from '../../../core/ports/InferenceDevice.js';
import type { DeviceSpec } from '../../../plugins/weighted-scheduler/config.js';

/** Two devices of different speed, as the scheduler is meant to balance. */
export interface Scenario {
  readonly id: string;
  readonly description: string;
  readonly devices: readonly DeviceSpec[];
  /** The device that is slower by design, whose share of the work is reported. */
  readonly slowDevice: string;
  readonly decorate: (device: InferenceDevice) => InferenceDevice;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'slowed-1of2',
    description: 'two 1-thread CPU sessions, one held 2× its own run time after each batch (3× slower: stands in for a slower accelerator)',
    devices: [
      { id: 'cpu-fast', provider: 'cpu', intraOpThreads: 1 },
      { id: 'cpu-slow', provider: 'cpu', intraOpThreads: 1 },
    ],
    slowDevice: 'cpu-slow',
    decorate: (device) => (device.spec.id === 'cpu-slow' ? new SlowDevice(device, 2) : device),
  },
  {
    id: 'threads-2v1',
    description: 'a 2-thread and a 1-thread CPU session sharing the 2 cores (real sessions, no added latency)',
    devices: [
      { id: 'cpu-2t', provider: 'cpu', intraOpThreads: 2 },
      { id: 'cpu-1t', provider: 'cpu', intraOpThreads: 1 },
    ],
    slowDevice: 'cpu-1t',
    decorate: (device) => device,
  },
];

export const STRATEGIES = ['weighted', 'round-robin'] as const;
export type Strategy = (typeof STRATEGIES)[number];
