import type { Node } from 'constructs';

/** Which consumers read the requests queue. Production usually picks one; both is the dev default. */
export type Consumer = 'lambda' | 'ecs';

/** Every knob of the app, parsed once from CDK context (`-c key=value` or cdk.json). */
export interface EmbedlineConfig {
  readonly maxReceiveCount: number;
  readonly consumers: ReadonlySet<Consumer>;
  readonly resultsQueue: boolean;
  readonly resultsRetentionDays: number;
  readonly lambdaTimeoutSec: number;
  readonly lambdaMemoryMb: number;
  readonly lambdaMaxConcurrency: number;
  readonly workerCpu: number;
  readonly workerMemoryMb: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly gpu: boolean;
  readonly gpuInstanceType: string;
  readonly maxMessageAgeSec: number;
  readonly alarmEmail: string | undefined;
  /** The cache plugin in every consumer, with snapshots in the results bucket (`sharedCache` turns it on too). */
  readonly cache: boolean;
  /** A Valkey replication group the consumers share (implies `cache`). */
  readonly sharedCache: boolean;
  readonly sharedCacheNodeType: string;
}

/** Thrown once with every bad context value, so a deploy fails with the full list, not the first. */
export class InfraConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid CDK context:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InfraConfigError';
  }
}

/** Reads and validates the context; documented defaults live here and in README.md only. */
export function readConfig(node: Node): EmbedlineConfig {
  const problems: string[] = [];
  const ctx = new ContextReader(node, problems);
  const config: EmbedlineConfig = {
    maxReceiveCount: ctx.int('maxReceiveCount', 5, 1, 1000),
    consumers: ctx.consumers('consumers', ['lambda', 'ecs']),
    resultsQueue: ctx.bool('resultsQueue', false),
    resultsRetentionDays: ctx.int('resultsRetentionDays', 30, 1, 3650),
    lambdaTimeoutSec: ctx.int('lambdaTimeoutSec', 120, 10, 900),
    lambdaMemoryMb: ctx.int('lambdaMemoryMb', 3008, 1024, 10240),
    // The SQS event source accepts 2..1000.
    lambdaMaxConcurrency: ctx.int('lambdaMaxConcurrency', 10, 2, 1000),
    workerCpu: ctx.int('workerCpu', 2048, 256, 16384),
    workerMemoryMb: ctx.int('workerMemoryMb', 4096, 512, 122880),
    minTasks: ctx.int('minTasks', 0, 0, 1000),
    maxTasks: ctx.int('maxTasks', 4, 1, 1000),
    gpu: ctx.bool('gpu', false),
    gpuInstanceType: ctx.str('gpuInstanceType', 'g6.xlarge', /^g[56]\.[0-9]*x?large$/),
    maxMessageAgeSec: ctx.int('maxMessageAgeSec', 900, 60, 1_209_600),
    alarmEmail: ctx.optionalStr('alarmEmail', /^[^@\s]+@[^@\s]+$/),
    cache: ctx.bool('cache', false),
    sharedCache: ctx.bool('sharedCache', false),
    sharedCacheNodeType: ctx.str('sharedCacheNodeType', 'cache.t4g.small', /^cache\.[a-z0-9]+\.[a-z0-9]+$/),
  };
  if (config.minTasks > config.maxTasks) problems.push(`minTasks (${config.minTasks}) must not exceed maxTasks (${config.maxTasks})`);
  if (problems.length > 0) throw new InfraConfigError(problems);
  return config;
}

/** Context from `-c` arrives as strings, from cdk.json as JSON values; accept both. */
class ContextReader {
  constructor(private readonly node: Node, private readonly problems: string[]) {}

  int(key: string, fallback: number, min: number, max: number): number {
    const raw = this.node.tryGetContext(key) as unknown;
    if (raw === undefined) return fallback;
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.push(`${key} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  bool(key: string, fallback: boolean): boolean {
    const raw = this.node.tryGetContext(key) as unknown;
    if (raw === undefined) return fallback;
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    this.problems.push(`${key} must be true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  str(key: string, fallback: string, pattern: RegExp): string {
    return this.optionalStr(key, pattern) ?? fallback;
  }

  optionalStr(key: string, pattern: RegExp): string | undefined {
    const raw = this.node.tryGetContext(key) as unknown;
    if (raw === undefined) return undefined;
    if (typeof raw === 'string' && pattern.test(raw)) return raw;
    this.problems.push(`${key} must match ${pattern}, got ${JSON.stringify(raw)}`);
    return undefined;
  }

  consumers(key: string, fallback: Consumer[]): ReadonlySet<Consumer> {
    const raw = this.node.tryGetContext(key) as unknown;
    if (raw === undefined) return new Set(fallback);
    const parts = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()) : [];
    const valid = parts.filter((p): p is Consumer => p === 'lambda' || p === 'ecs');
    if (valid.length > 0 && valid.length === parts.length) return new Set(valid);
    this.problems.push(`${key} must be a comma list of lambda and/or ecs, got ${JSON.stringify(raw)}`);
    return new Set(fallback);
  }
}
