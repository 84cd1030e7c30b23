import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { repoFile } from '../integration/observability/support/repoFiles.js';
import { probePort, terminate, trackChild } from './serverChild.js';

/** A running S3-compatible server (moto) on 127.0.0.1; call `stop()` in an `after` hook. */
export interface LocalS3 {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, for `new S3Client({ endpoint, forcePathStyle: true })`. */
  readonly endpoint: string;
  /** Client settings that reach this server: endpoint, path-style addressing, a region and dummy credentials. */
  readonly clientConfig: S3ClientConfig;
  /** A client built from `clientConfig` (one per server; destroyed by `stop()`). */
  client(): S3Client;
  /** Creates a bucket (idempotent: an existing bucket owned by us is fine) and returns its name. */
  createBucket(name: string): Promise<string>;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period); moto keeps everything in memory, so its buckets are gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, after `stop()` (or while running: stops it first). */
  restart(): Promise<void>;
}

const SCRIPT = 'scripts/s3-local/s3-local.sh';
/** moto imports a lot of Python on start; a busy CI machine needs more than a few seconds. */
const READY_TIMEOUT_MS = 60_000;
let installed: Promise<void> | undefined;

/**
 * Starts a real S3-compatible server, moto in server mode, through `scripts/s3-local/s3-local.sh run`
 * (which creates its venv once), on a free port unless one is given, and resolves once it answers.
 *
 * @example
 * const s3 = await startS3Server();
 * const bucket = await s3.createBucket('embedline-snapshots');
 * const runtime = await startTestRuntime({ plugins: ['cache'], pluginOptions: { cache: { snapshot: { s3: { bucket, key: 'cache.snap', ...s3.clientConfig } } } } });
 * await s3.stop();
 */
export async function startS3Server(opts: { port?: number } = {}): Promise<LocalS3> {
  await installOnce();
  const port = await probePort(opts.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig: S3ClientConfig = {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    // The SDK retries a refused connection with back-off; tests that stop the server want the failure now.
    maxAttempts: 1,
  };
  let child = await launch(port, endpoint);
  let client: S3Client | undefined;
  const getClient = (): S3Client => (client ??= new S3Client(clientConfig));
  return {
    port,
    endpoint,
    clientConfig,
    client: getClient,
    createBucket: async (name) => {
      try {
        await getClient().send(new CreateBucketCommand({ Bucket: name }));
      } catch (err) {
        if ((err as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw err;
      }
      return name;
    },
    stop: async () => {
      client?.destroy();
      client = undefined;
      await terminate(child);
    },
    restart: async () => {
      await terminate(child);
      child = await launch(port, endpoint);
    },
  };
}

async function launch(port: number, endpoint: string): Promise<ChildProcess> {
  // `run` execs moto_server, so the child's pid is the server's and signals reach it directly.
  const child = spawn('bash', [repoFile(SCRIPT), 'run'], { env: { ...process.env, S3_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (spawnError || exited || Date.now() > deadline) {
      await terminate(child);
      throw new Error(`moto (S3) did not start on ${endpoint}: ${spawnError?.message ?? (exited ? `exited (${child.exitCode ?? child.signalCode})` : 'no answer in time')}\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Once per process; the script keeps the venv across runs. */
function installOnce(): Promise<void> {
  installed ??= promisify(execFile)('bash', [repoFile(SCRIPT), 'install'], { timeout: 10 * 60_000 })
    .then(() => undefined)
    .catch((err: unknown) => {
      installed = undefined; // a later test may retry, e.g. once PyPI is reachable
      throw new Error(`Could not install moto via ${SCRIPT} (needs python3 with venv and, the first time, PyPI).`, { cause: err });
    });
  return installed;
}
