import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { repoFile } from '../integration/observability/support/repoFiles.js';
import { probePort, terminate, trackChild } from './serverChild.js';

/** A running redis-server on 127.0.0.1; call `stop()` in an `after` hook. */
export interface LocalRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period); nothing is persisted. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, after `stop()`. */
  restart(): Promise<void>;
}

const SCRIPT = 'scripts/redis-local/redis-local.sh';
const READY_TIMEOUT_MS = 10_000;

/**
 * Starts a real redis-server (Debian's) through `scripts/redis-local/redis-local.sh run`, on a free
 * port unless one is given, and resolves once it answers PING.
 *
 * @example
 * const redis = await startRedis();
 * const runtime = await startTestRuntime({ plugins: ['cache'], pluginOptions: { cache: { redis: { url: redis.url } } } });
 * await redis.stop();
 */
export async function startRedis(opts: { port?: number } = {}): Promise<LocalRedis> {
  const port = opts.port ?? (await probePort(0));
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () => terminate(child),
    restart: async () => {
      await terminate(child);
      child = await launch(port);
    },
  };
}

async function launch(port: number): Promise<ChildProcess> {
  // `run` execs redis-server, so the child's pid is the server's and signals reach it directly.
  const child = spawn('bash', [repoFile(SCRIPT), 'run'], { env: { ...process.env, REDIS_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const output: string[] = [];
  const keep = (chunk: Buffer): void => void output.push(chunk.toString('utf8'));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (spawnError || exited || Date.now() > deadline) {
      await terminate(child);
      throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${spawnError?.message ?? (exited ? `exited (${child.exitCode ?? child.signalCode})` : 'no PONG in time')}\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

