/** What a strategy may look at when it picks a device. */
export interface DeviceLoad {
  readonly id: string;
  /** Padded tokens assigned to the device and not finished yet, the running batch included. */
  readonly queuedTokens: number;
  /** Measured speed; every ready device has one from its warm-up batch. */
  readonly tokensPerSecond: number;
}

/**
 * Chooses the device for one batch among the ready devices that serve its variant.
 *
 * @example
 * const chosen = picker.pick([{ id: 'a', queuedTokens: 0, tokensPerSecond: 9000 }, { id: 'b', queuedTokens: 4096, tokensPerSecond: 30000 }], 2048);
 */
export interface DevicePicker {
  pick<T extends DeviceLoad>(candidates: readonly T[], batchTokens: number): T;
}
