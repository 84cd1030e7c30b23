import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { probePort, terminate, trackChild } from './serverChild.js';

/** Options for {@link startElasticMq}. Every queue gets a `<name>-dlq` dead-letter queue. */
export interface ElasticMqOptions {
  /** Port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** Receives before a message moves to its DLQ (SQS allows 1–1000). Default 3. */
  maxReceiveCount?: number;
  /** Default visibility timeout of every queue, in seconds. Default 30. */
  visibilityTimeoutSec?: number;
  /** Queue names to create. Default `['embedline-requests', 'embedline-results']`. */
  queues?: string[];
  /**
   * Let the process exit while the server runs (it is killed on exit), for a server shared by
   * every test file of a run rather than stopped in one file's `after` hook.
   */
  detached?: boolean;
}

/** A running ElasticMQ server; call `stop()` in an `after` hook. */
export interface ElasticMq {
  /** Base URL for `new SQSClient({ endpoint })`. */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const SCRIPT = 'scripts/sqs-local/sqs-local.sh';
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,76}$/; // 80 minus the "-dlq" suffix
const READY_TIMEOUT_MS = 60_000;
let fetched: Promise<void> | undefined;

/**
 * Starts a real ElasticMQ (SQS-compatible) server on 127.0.0.1 for integration tests.
 * Runs through `scripts/sqs-local/sqs-local.sh run` with a generated config, so the jars, their
 * cache and the JVM flags are the script's (fetched with Maven once).
 *
 * @example
 * const mq = await startElasticMq({ maxReceiveCount: 2, visibilityTimeoutSec: 1 });
 * const sqs = new SQSClient({ endpoint: mq.endpoint, region: 'us-east-1',
 *   credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'embedline-requests' }));
 * await mq.stop();
 */
export async function startElasticMq(opts: ElasticMqOptions = {}): Promise<ElasticMq> {
  const queues = opts.queues ?? ['embedline-requests', 'embedline-results'];
  const bad = queues.filter((q) => !QUEUE_NAME.test(q));
  if (bad.length > 0) throw new Error(`Invalid SQS queue names ${JSON.stringify(bad)}: use 1-76 of [A-Za-z0-9_-].`);
  await fetchOnce();
  // Probe even a caller-chosen port: on a clash the readiness check would talk to the other server.
  const port = await probePort(opts.port ?? 0);
  const text = renderConfig(port, queues, opts.maxReceiveCount ?? 3, opts.visibilityTimeoutSec ?? 30);
  const dir = await mkdtemp(join(tmpdir(), 'embedline-elasticmq-'));
  const config = join(dir, 'elasticmq.conf');
  await writeFile(config, text);
  // `run` execs the JVM, so the child's pid is the JVM's and signals reach it directly.
  const child = spawn('bash', [script(), 'run'], {
    env: { ...process.env, ELASTICMQ_CONFIG: config, SQS_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err)); // unhandled, a failed spawn would crash the test runner
  const output = tail(child);
  if (opts.detached) {
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(endpoint, queues, child, () => spawnError);
  } catch (err) {
    await stop();
    throw new Error(`ElasticMQ did not start on ${endpoint}: ${(err as Error).message}\n${output().join('\n')}`, { cause: err });
  }
  return { endpoint, port, stop };
}

/**
 * ElasticMQ's config for `queues`, each with a `-dlq`; `h2Path` keeps messages in an H2 file
 * across restarts (the fault tests restart the server mid-run), else they live in memory.
 */
export function renderConfig(port: number, queues: readonly string[], maxReceiveCount: number, visibilitySec: number, h2Path?: string): string {
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000)
    throw new Error(`maxReceiveCount must be an integer in 1..1000, got ${maxReceiveCount}.`);
  if (!Number.isInteger(visibilitySec) || visibilitySec < 0 || visibilitySec > 43_200)
    throw new Error(`visibilityTimeoutSec must be an integer in 0..43200, got ${visibilitySec}.`);
  const blocks = queues.map((q) => `
  "${q}" {
    defaultVisibilityTimeout = ${visibilitySec} seconds
    deadLettersQueue { name = "${q}-dlq", maxReceiveCount = ${maxReceiveCount} }
  }
  "${q}-dlq" { defaultVisibilityTimeout = ${visibilitySec} seconds }`);
  // node-address must equal the bind address: ElasticMQ builds queue URLs from it.
  return `include classpath("application.conf")
node-address { protocol = http, host = "127.0.0.1", port = ${port}, context-path = "" }
rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1", sqs-limits = strict }
generate-node-address = false
aws { region = "us-east-1", accountId = "000000000000" }
${h2Path === undefined ? '' : `messages-storage { enabled = true, uri = "jdbc:h2:${h2Path}", prune-data-on-init = false }\n`}queues {${blocks.join('')}
}
`;
}

/** Once per process; the script itself caches the jars across runs. */
function fetchOnce(): Promise<void> {
  fetched ??= promisify(execFile)('bash', [script(), 'fetch'])
    .then(() => undefined)
    .catch((err: unknown) => {
      fetched = undefined; // let a later test retry, e.g. after the network comes back
      throw new Error(`Could not fetch ElasticMQ via ${SCRIPT} (needs Java 17 and, the first time, Maven).`, { cause: err });
    });
  return fetched;
}

function script(): string {
  return join(repoRoot(), SCRIPT);
}

function repoRoot(): string {
  // Walk up rather than hard-code "../..": the file may run from source or from dist/.
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, SCRIPT))) return dir;
  }
  throw new Error(`Could not find ${SCRIPT} above ${fileURLToPath(import.meta.url)}.`);
}


// The port opens a few milliseconds before the configured queues exist, so wait for all of them.
async function waitUntilReady(endpoint: string, queues: string[], child: ChildProcess, spawnError: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const err = spawnError();
    if (err) throw err;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`java exited (${child.exitCode ?? child.signalCode})`);
    const body = await fetch(`${endpoint}/?Action=ListQueues`).then((r) => (r.ok ? r.text() : undefined), () => undefined);
    if (body !== undefined && queues.every((q) => body.includes(`/${q}<`) && body.includes(`/${q}-dlq<`))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready after ${READY_TIMEOUT_MS} ms`);
}


/** Keeps the last lines of the server's output for start-up error messages; draining also avoids a full pipe blocking the JVM. */
function tail(child: ChildProcess, max = 40): () => string[] {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - max));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines;
}
