/** The part of an ioredis client the shared tier uses, so the tier depends on a small shape. */
export interface RedisConnection {
  /** ioredis' connection state; commands are sent only while it is 'ready'. */
  readonly status: string;
  mgetBuffer(keys: string[]): Promise<(Buffer | null)[]>;
  pipeline(): RedisPipeline;
  on(event: 'ready' | 'close' | 'error', listener: (error?: Error) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

export interface RedisPipeline {
  set(key: string, value: Buffer, mode: 'PX', ttlMs: number): unknown;
  exec(): Promise<[Error | null, unknown][] | null>;
}
