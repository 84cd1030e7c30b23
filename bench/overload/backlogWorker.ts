import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { localWorkerEnv } from '../sqs/benchWorkers.js';

const CLI = fileURLToPath(new URL('../../../bin/embedline.js', import.meta.url));

/** What the worker's debug log said about each message, read line by line from its stderr. */
export interface WorkerLogTally {
  /** `sqs.result_stored` per producer id: how many times its result was written. */
  readonly storedById: Map<string, number>;
  /** Receive counts of the stores (SQS ApproximateReceiveCount), by SQS message id. */
  readonly storeReceiveCounts: Map<string, number[]>;
  /** SQS message ids with a `sqs.message_failed` line (a redelivery of those is expected). */
  readonly failedMessageIds: Set<string>;
  /** `sqs.heartbeat_failed` / `sqs.heartbeat_error` lines. */
  heartbeatProblems: number;
  /** Lines of level error. */
  errors: number;
}

export interface BacklogWorker {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly metricsUrl: string;
  readonly tally: WorkerLogTally;
  /** Resolves once `count` distinct ids have a stored result. */
  storedAtLeast(count: number, timeoutMs: number): Promise<void>;
  /** SIGTERM (the worker drains), then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `embedline worker` as a child process on the production path (default config but for the
 * local queue, the file sink and `env`), logging at debug level so every stored result is a
 * line; resolves once it has logged `worker.ready`.
 */
export async function startBacklogWorker(queueUrl: string, endpoint: string, resultsDir: string, env: Record<string, string>): Promise<BacklogWorker> {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue-url', queueUrl], {
    env: { ...localWorkerEnv(endpoint, resultsDir), EMBEDLINE_LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tally: WorkerLogTally = { storedById: new Map(), storeReceiveCounts: new Map(), failedMessageIds: new Set(), heartbeatProblems: 0, errors: 0 };
  const waiters = new Set<() => void>();
  let metricsPort: number | undefined;
  let early = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${early}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        if (metricsPort === undefined) early += `${line}\n`;
        return;
      }
      if (entry.level === 'error') tally.errors++;
      switch (entry.event) {
        case 'worker.metrics_listening':
          metricsPort = Number(entry.port);
          break;
        case 'worker.ready':
          resolve();
          break;
        case 'sqs.result_stored': {
          const id = String(entry.id);
          tally.storedById.set(id, (tally.storedById.get(id) ?? 0) + 1);
          const messageId = String(entry.messageId);
          tally.storeReceiveCounts.set(messageId, [...(tally.storeReceiveCounts.get(messageId) ?? []), Number(entry.receiveCount)]);
          for (const wake of [...waiters]) wake();
          break;
        }
        case 'sqs.message_failed':
          tally.failedMessageIds.add(String(entry.messageId));
          break;
        case 'sqs.heartbeat_failed':
        case 'sqs.heartbeat_error':
          tally.heartbeatProblems++;
          break;
      }
    });
  });
  await ready;
  return {
    child,
    pid: child.pid!,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    tally,
    storedAtLeast(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${count - tally.storedById.size} of ${count} results not stored after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = (): void => {
          if (tally.storedById.size < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
