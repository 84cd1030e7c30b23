import { injectable } from 'inversify';
import type { DeviceMemory, MemoryBudget } from '../../ports/MemoryBudget.js';

type DeviceEntry = { -readonly [K in keyof DeviceMemory]: DeviceMemory[K] };

/** The default memory port: each reporter's last figure and each device's limit and batches in flight, in maps. */
@injectable()
export class InMemoryBudget implements MemoryBudget {
  private readonly figures = new Map<string, number>();
  private readonly deviceEntries = new Map<string, DeviceEntry>();

  report(reporter: string, bytesInUse: number): void {
    this.figures.set(reporter, Math.max(0, bytesInUse));
  }

  inUse(): number {
    let sum = 0;
    for (const bytes of this.figures.values()) sum += bytes;
    for (const device of this.deviceEntries.values()) sum += device.inFlightBytes;
    return sum;
  }

  snapshot(): ReadonlyMap<string, number> {
    return this.figures;
  }

  /** A restarted device keeps its peak; its batches in flight were failed by the restart. */
  deviceStarted(device: string, memory: Pick<DeviceMemory, 'variant' | 'limitBytes' | 'limitSource' | 'sessions'>): void {
    const previous = this.deviceEntries.get(device);
    this.deviceEntries.set(device, { ...memory, inFlightBytes: 0, peakInFlightBytes: previous?.peakInFlightBytes ?? 0 });
  }

  deviceRunning(device: string, estimatedBytes: number): void {
    const entry = this.deviceEntries.get(device);
    if (!entry) return;
    entry.inFlightBytes = Math.max(0, estimatedBytes);
    entry.peakInFlightBytes = Math.max(entry.peakInFlightBytes, entry.inFlightBytes);
  }

  devices(): ReadonlyMap<string, DeviceMemory> {
    return this.deviceEntries;
  }
}
