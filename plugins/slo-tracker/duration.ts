import { z } from 'zod';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A window length written as Prometheus writes it (`5m`, `6h`, `30d`), with its milliseconds. */
export interface Duration {
  /** As configured; also the `window` label value, so dashboards and alerts read the same. */
  readonly text: string;
  readonly ms: number;
}

export function parseDuration(text: string): Duration {
  const unit = text.at(-1) as keyof typeof UNIT_MS;
  return { text, ms: Number(text.slice(0, -1)) * UNIT_MS[unit] };
}

/** One whole number and one unit: Prometheus also accepts `1h30m`, but label values stay simpler without. */
export const durationSchema = z
  .string()
  .regex(/^[1-9]\d*[smhd]$/, 'use a whole number and one unit of s, m, h or d, as in "5m"')
  .transform(parseDuration);
