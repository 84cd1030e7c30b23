import { z } from 'zod';
import { MODEL_VARIANTS } from '../../core/model/variants.js';
import { EXECUTION_PROVIDERS } from '../../core/ports/InferenceDevice.js';

const positiveInt = z.number().int().positive();

/** One device: an ONNX Runtime session with its own execution provider, on its own worker thread. */
export const deviceSpecSchema = z.strictObject({
  /** Becomes the `device` label of every metric, so letters, digits, `.`, `_` and `-` only. */
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use 1–64 letters, digits, ".", "_" or "-"'),
  provider: z.enum(EXECUTION_PROVIDERS),
  /** ONNX Runtime intra-op threads for this session; CPU devices on one machine split its cores. */
  intraOpThreads: positiveInt.max(256).default(1),
  /**
   * Model variant this device serves; defaults to `model.variant`. Any variant the model
   * directory holds (the gpu-* ones after `embedline model optimize`); a missing file fails the
   * start with EMBEDLINE_CONFIG naming the fix.
   */
  variant: z.enum(MODEL_VARIANTS).optional(),
  /** Which GPU a `cuda` device uses (ORT's device_id), one device per card on a multi-GPU host. */
  deviceId: z.number().int().min(0).max(255).optional(),
  /**
   * Largest batch this device takes, in padded tokens (rows × longest row): a small GPU's memory
   * limit. Larger batches go to the other devices; none by default (the batcher's limits apply).
   */
  maxBatchTokens: positiveInt.optional(),
});

export type DeviceSpec = z.output<typeof deviceSpecSchema>;

const deviceListSchema = z.array(deviceSpecSchema).min(1);

/**
 * `auto` or a device list. Parsed in two steps because a plain union of the two reports only
 * "Invalid input" at `devices`; this way a bad list names the device and field (`devices.1.variant`).
 */
const devicesSchema = z.union([z.literal('auto'), z.array(z.unknown())], { error: "use 'auto' or a list of devices" }).transform((value, ctx): 'auto' | DeviceSpec[] => {
  if (value === 'auto') return value;
  const parsed = deviceListSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/**
 * `pluginOptions.weighted-scheduler`. With no section: `devices: auto`, `strategy: weighted`.
 * Enabled by `EMBEDDING_MULTI_GPU_ENABLED=true` or `plugins: [weighted-scheduler]`.
 */
export const weightedSchedulerConfigSchema = z
  .strictObject({
    /**
     * `auto`: `encoder.workers` CPU sessions of `encoder.intraOpThreads` threads each, plus
     * WebGPU and CUDA sessions where they start (probed; skipped cleanly where they cannot).
     */
    devices: devicesSchema.default('auto'),
    /** `weighted`: earliest expected completion from measured speed; `round-robin`: in turn, ignoring speed. */
    strategy: z.enum(['weighted', 'round-robin']).default('weighted'),
    /** Weight of the newest batch in each device's tokens/s estimate (EWMA). */
    speedSmoothing: z.number().gt(0).max(1).default(0.3),
    /** Warm-up batch each device runs when it starts or comes back: `rows` copies of a short text, `runs` times (the last one is timed). */
    probe: z.strictObject({ rows: positiveInt.max(256).default(8), runs: positiveInt.max(10).default(2) }).prefault({}),
    quarantine: z
      .strictObject({
        /** First wait before a failed device is probed again; doubles on every failure after that. */
        initialBackoffMs: positiveInt.default(1_000),
        maxBackoffMs: positiveInt.default(60_000),
        /** ONNX Runtime errors in a row that quarantine a device; a crashed thread does at once. */
        afterConsecutiveErrors: positiveInt.default(3),
      })
      .prefault({}),
    /** Runs a batch may have before it fails (the batcher then splits it to find a bad text). */
    maxAttemptsPerBatch: positiveInt.max(16).default(3),
  })
  .superRefine((config, ctx) => {
    if (config.quarantine.initialBackoffMs > config.quarantine.maxBackoffMs) {
      ctx.addIssue({ code: 'custom', path: ['quarantine', 'initialBackoffMs'], message: `must not exceed quarantine.maxBackoffMs (${config.quarantine.maxBackoffMs})` });
    }
    if (config.devices === 'auto') return;
    const seen = new Set<string>();
    config.devices.forEach((device, index) => {
      if (seen.has(device.id)) ctx.addIssue({ code: 'custom', path: ['devices', index, 'id'], message: `duplicate device id "${device.id}"` });
      seen.add(device.id);
    });
  });

export type WeightedSchedulerConfig = z.output<typeof weightedSchedulerConfigSchema>;
