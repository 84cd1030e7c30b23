import type { DeviceLoad, DevicePicker } from './DevicePicker.js';

/**
 * The `round-robin` strategy: devices in turn, whatever their speed or backlog. The baseline
 * the weighted strategy is measured against, and a fair choice when devices are identical.
 *
 * @example
 * const picker = new RoundRobinPicker();
 * picker.pick([a, b], 100); // a, then b, then a, …
 */
export class RoundRobinPicker implements DevicePicker {
  private turn = 0;

  pick<T extends DeviceLoad>(candidates: readonly T[]): T {
    const chosen = candidates[this.turn % candidates.length]!;
    this.turn = (this.turn + 1) % Number.MAX_SAFE_INTEGER;
    return chosen;
  }
}
