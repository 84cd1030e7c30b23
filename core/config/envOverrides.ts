/**
 * Environment variables that override the config file. Each maps onto one config path; the
 * seed's EMBEDDING_* switches toggle plugins. Documented in docs/configuration.md and env.example.
 */
type Parser = (raw: string) => unknown;

const int: Parser = (raw) => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : raw);
const num: Parser = (raw) => (raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw);
const bool: Parser = (raw) => (/^(1|true|yes|on)$/i.test(raw.trim()) ? true : /^(0|false|no|off)$/i.test(raw.trim()) ? false : raw);
const str: Parser = (raw) => raw;
const list: Parser = (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean);

export const ENV_OVERRIDES: Readonly<Record<string, { path: readonly string[]; parse: Parser }>> = {
  EMBEDLINE_CACHE_DIR: { path: ['cacheDir'], parse: str },
  EMBEDLINE_LOG_LEVEL: { path: ['logLevel'], parse: str },
  EMBEDLINE_MODEL: { path: ['model', 'name'], parse: str },
  EMBEDLINE_MODEL_VARIANT: { path: ['model', 'variant'], parse: str },
  /** Comma-separated names (or directories) served together; the first answers requests that name none. */
  EMBEDLINE_MODELS: { path: ['models'], parse: list },
  EMBEDLINE_MAX_TOKENS: { path: ['model', 'maxTokens'], parse: int },
  EMBEDLINE_MODEL_SOURCES: { path: ['model', 'sources'], parse: list },
  EMBEDLINE_MODEL_AUTO_PULL: { path: ['model', 'autoPull'], parse: bool },
  EMBEDLINE_MODEL_VERIFY_ON_START: { path: ['model', 'verifyOnStart'], parse: bool },
  HF_ENDPOINT: { path: ['model', 'hubEndpoint'], parse: str },
  HF_TOKEN: { path: ['model', 'hubToken'], parse: str },
  EMBEDLINE_WORKERS: { path: ['encoder', 'workers'], parse: int },
  EMBEDLINE_INTRA_OP_THREADS: { path: ['encoder', 'intraOpThreads'], parse: int },
  EMBEDLINE_INTER_OP_THREADS: { path: ['encoder', 'interOpThreads'], parse: int },
  EMBEDLINE_GRAPH_OPTIMIZATION: { path: ['encoder', 'graphOptimizationLevel'], parse: str },
  EMBEDLINE_EXECUTION_PROVIDERS: { path: ['encoder', 'executionProviders'], parse: list },
  EMBEDLINE_CPU_MEM_ARENA: { path: ['encoder', 'enableCpuMemArena'], parse: bool },
  EMBEDLINE_MEM_PATTERN: { path: ['encoder', 'enableMemPattern'], parse: bool },
  EMBEDLINE_MAX_BATCH_SIZE: { path: ['batching', 'maxBatchSize'], parse: int },
  EMBEDLINE_MAX_BATCH_TOKENS: { path: ['batching', 'maxBatchTokens'], parse: int },
  EMBEDLINE_MAX_WAIT_MS: { path: ['batching', 'maxWaitMs'], parse: num },
  EMBEDLINE_MAX_QUEUED_TEXTS: { path: ['batching', 'maxQueuedTexts'], parse: int },
  EMBEDLINE_BATCH_LOOKAHEAD: { path: ['batching', 'lookahead'], parse: int },
  EMBEDLINE_MAX_PADDING_RATIO: { path: ['batching', 'maxPaddingRatio'], parse: num },
  EMBEDLINE_DISPATCH_WHEN_IDLE: { path: ['batching', 'dispatchWhenIdle'], parse: bool },
  EMBEDLINE_REQUEST_TIMEOUT_MS: { path: ['batching', 'requestTimeoutMs'], parse: int },
  EMBEDLINE_HOST: { path: ['http', 'host'], parse: str },
  EMBEDLINE_PORT: { path: ['http', 'port'], parse: int },
  EMBEDLINE_API_KEY: { path: ['http', 'apiKey'], parse: str },
  EMBEDLINE_PLUGINS: { path: ['plugins'], parse: list },
  EMBEDLINE_QUEUE_URL: { path: ['sqs', 'queueUrl'], parse: str },
  EMBEDLINE_SQS_ENDPOINT: { path: ['sqs', 'endpoint'], parse: str },
  EMBEDLINE_SQS_REGION: { path: ['sqs', 'region'], parse: str },
  EMBEDLINE_SQS_WAIT_SECONDS: { path: ['sqs', 'waitTimeSeconds'], parse: int },
  EMBEDLINE_SQS_VISIBILITY_TIMEOUT: { path: ['sqs', 'visibilityTimeoutSec'], parse: int },
  EMBEDLINE_SQS_HEARTBEAT_SECONDS: { path: ['sqs', 'heartbeatIntervalSec'], parse: int },
  EMBEDLINE_SQS_MAX_IN_FLIGHT_MESSAGES: { path: ['sqs', 'maxInFlightMessages'], parse: int },
  EMBEDLINE_SQS_MAX_IN_FLIGHT_TEXTS: { path: ['sqs', 'maxInFlightTexts'], parse: int },
  EMBEDLINE_SQS_FAILURE_BACKOFF_BASE_SEC: { path: ['sqs', 'failureBackoffBaseSec'], parse: int },
  EMBEDLINE_SQS_FAILURE_BACKOFF_MAX_SEC: { path: ['sqs', 'failureBackoffMaxSec'], parse: int },
  EMBEDLINE_SQS_MAX_TEXTS_PER_MESSAGE: { path: ['sqs', 'maxTextsPerMessage'], parse: int },
  EMBEDLINE_SQS_MAX_TEXT_CHARS: { path: ['sqs', 'maxTextChars'], parse: int },
  EMBEDLINE_SQS_MAX_MESSAGE_BYTES: { path: ['sqs', 'maxMessageBytes'], parse: int },
  EMBEDLINE_WORKER_SHUTDOWN_GRACE_MS: { path: ['sqs', 'shutdownGraceMs'], parse: int },
  EMBEDLINE_WORKER_MESSAGE_TIMEOUT_MS: { path: ['sqs', 'messageTimeoutMs'], parse: int },
  EMBEDLINE_WORKER_METRICS_HOST: { path: ['sqs', 'metricsHost'], parse: str },
  EMBEDLINE_WORKER_METRICS_PORT: { path: ['sqs', 'metricsPort'], parse: int },
  EMBEDLINE_SINK: { path: ['sink', 'type'], parse: str },
  EMBEDLINE_SINK_FORMAT: { path: ['sink', 'format'], parse: str },
  EMBEDLINE_RESULTS_DIR: { path: ['sink', 'dir'], parse: str },
  EMBEDLINE_S3_BUCKET: { path: ['sink', 's3', 'bucket'], parse: str },
  EMBEDLINE_S3_PREFIX: { path: ['sink', 's3', 'prefix'], parse: str },
  EMBEDLINE_S3_ENDPOINT: { path: ['sink', 's3', 'endpoint'], parse: str },
  EMBEDLINE_S3_REGION: { path: ['sink', 's3', 'region'], parse: str },
  EMBEDLINE_S3_FORCE_PATH_STYLE: { path: ['sink', 's3', 'forcePathStyle'], parse: bool },
  EMBEDLINE_RESULTS_QUEUE_URL: { path: ['sink', 'resultsQueueUrl'], parse: str },
  /** The cache plugin's shared tier and snapshot store, for deployments configured by environment (infra-cdk). */
  EMBEDLINE_CACHE_REDIS_URL: { path: ['pluginOptions', 'cache', 'redis', 'url'], parse: str },
  EMBEDLINE_CACHE_SNAPSHOT_URL: { path: ['pluginOptions', 'cache', 'snapshot', 'url'], parse: str },
  EMBEDLINE_TRACING_EXPORTER: { path: ['tracing', 'exporter'], parse: str },
  EMBEDLINE_TRACING_ENDPOINT: { path: ['tracing', 'endpoint'], parse: str },
  EMBEDLINE_TRACING_SERVICE_NAME: { path: ['tracing', 'serviceName'], parse: str },
  EMBEDLINE_TRACING_SAMPLE_RATIO: { path: ['tracing', 'sampleRatio'], parse: num },
};

/** The seed's feature switches: a truthy value enables the plugin, a falsy one disables it. */
export const SEED_PLUGIN_SWITCHES: Readonly<Record<string, string>> = {
  EMBEDDING_GPU_MEMORY_POOL: 'memory-pool',
  EMBEDDING_SLO_TRACKING: 'slo-tracker',
  EMBEDDING_MULTI_GPU_ENABLED: 'weighted-scheduler',
  EMBEDDING_ADAPTIVE_BATCH_SIZE: 'predictive-batch-size',
};

export function parseSwitch(raw: string): boolean | undefined {
  const value = bool(raw);
  return typeof value === 'boolean' ? value : undefined;
}
