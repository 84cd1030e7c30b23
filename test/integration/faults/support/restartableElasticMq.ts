import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { probePort, terminate, trackChild } from '../../../support/serverChild.js';
import { renderConfig } from '../../../support/elasticmq.js';

const SCRIPT = fileURLToPath(new URL('../../../../../scripts/sqs-local/sqs-local.sh', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/** An ElasticMQ that keeps its messages across restarts (H2 on disk), on one fixed port. */
export interface RestartableElasticMq {
  readonly endpoint: string;
  readonly port: number;
  /** SIGTERM (then SIGKILL after a grace), as an orchestrator replacing the server would. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until its queues answer. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * The shared test ElasticMQ keeps messages in memory, so a restart would lose them, which no
 * real SQS does: this one stores queues' messages (with their receive counts and visibility)
 * in an H2 file via ElasticMQ's `messages-storage`, so a restart mid-run is an outage of the
 * endpoint, not a purge. Each queue gets a `<name>-dlq` with `maxReceiveCount`.
 */
export async function startRestartableElasticMq(queues: readonly string[], maxReceiveCount: number, visibilitySec: number): Promise<RestartableElasticMq> {
  await promisify(execFile)('bash', [SCRIPT, 'fetch']);
  const port = await probePort(0);
  const dir = await mkdtemp(join(tmpdir(), 'embedline-elasticmq-restart-'));
  const config = join(dir, 'elasticmq.conf');
  await writeFile(config, renderConfig(port, queues, maxReceiveCount, visibilitySec, join(dir, 'messages')));
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const spawned = spawn('bash', [SCRIPT, 'run'], { env: { ...process.env, ELASTICMQ_CONFIG: config, SQS_PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    spawned.stderr!.resume();
    spawned.once('error', () => undefined);
    trackChild(spawned);
    child = spawned;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (spawned.exitCode !== null) throw new Error(`ElasticMQ exited (${spawned.exitCode}) while starting on ${endpoint}`);
      const body = await fetch(`${endpoint}/?Action=ListQueues`).then((r) => (r.ok ? r.text() : ''), () => '');
      if (queues.every((q) => body.includes(`/${q}<`) && body.includes(`/${q}-dlq<`))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`ElasticMQ not ready on ${endpoint} after ${READY_TIMEOUT_MS} ms`);
  };
  const stop = async (): Promise<void> => {
    if (child) await terminate(child);
    child = undefined;
  };
  await start();
  return { endpoint, port, start, stop, destroy: async () => (await stop(), await rm(dir, { recursive: true, force: true })) };
}
