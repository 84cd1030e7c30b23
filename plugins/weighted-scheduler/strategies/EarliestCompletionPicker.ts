import type { DeviceLoad, DevicePicker } from './DevicePicker.js';

/**
 * The `weighted` strategy: the device expected to finish this batch first, counting what it
 * has queued — (queued tokens + batch tokens) / tokens per second. A device twice as fast
 * therefore takes about twice the work, and a device with a backlog is passed over until it
 * catches up. Ties go to the device listed first.
 *
 * @example
 * new EarliestCompletionPicker().pick([{ id: 'slow', queuedTokens: 0, tokensPerSecond: 1000 }, { id: 'fast', queuedTokens: 1000, tokensPerSecond: 4000 }], 1000); // fast: 0.5 s vs 1 s
 */
export class EarliestCompletionPicker implements DevicePicker {
  pick<T extends DeviceLoad>(candidates: readonly T[], batchTokens: number): T {
    let best = candidates[0]!;
    let bestSeconds = expectedSeconds(best, batchTokens);
    for (const candidate of candidates.slice(1)) {
      const seconds = expectedSeconds(candidate, batchTokens);
      if (seconds < bestSeconds) {
        best = candidate;
        bestSeconds = seconds;
      }
    }
    return best;
  }
}

function expectedSeconds(device: DeviceLoad, batchTokens: number): number {
  return (device.queuedTokens + batchTokens) / device.tokensPerSecond;
}
