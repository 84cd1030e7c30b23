import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../../../support/cli.js';
import { LOCAL_AWS_ENV } from './localQueue.js';

export interface WorkerLogLine {
  readonly event: string;
  readonly [field: string]: unknown;
}

/** A safety net for a worker that hangs while starting, not a timing claim. */
const READY_TIMEOUT_MS = 60_000;

/** A real `embedline worker` child process, its JSON log lines and its /metrics endpoint. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly logs: WorkerLogLine[];
  readonly stderr: () => string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Resolves once the worker logged `worker.ready`. */
  ready(): Promise<void>;
  /** Sum of a counter or gauge's samples on /metrics, optionally only those whose labels contain `match`. */
  metric(name: string, match?: string): Promise<number>;
}

/**
 * Spawns `node bin/embedline.js worker` against a local queue, metrics on a free port, and the
 * given environment (sink, limits, timeouts) on top of the test's, and any further flags (`--model …`). Long polls last 2 s, not 20,
 * because a stopping worker lets its outstanding poll return before it exits.
 */
export function spawnWorker(queueUrl: string, endpoint: string, env: Record<string, string>, args: readonly string[] = []): WorkerProcess {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue-url', queueUrl, '--metrics-port', '0', ...args], {
    env: { ...process.env, ...LOCAL_AWS_ENV, EMBEDLINE_SQS_ENDPOINT: endpoint, EMBEDLINE_SQS_REGION: 'us-east-1', EMBEDLINE_SQS_WAIT_SECONDS: '2', EMBEDLINE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: WorkerLogLine[] = [];
  let text = '';
  let partial = '';
  let markReady!: () => void;
  const readyLogged = new Promise<void>((resolve) => (markReady = resolve));
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as WorkerLogLine;
        logs.push(entry);
        if (entry.event === 'worker.ready') markReady();
      } catch {
        // Not ours (a Node warning); kept in stderr() for failure messages.
      }
    }
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  const find = (event: string) => logs.find((l) => l.event === event);
  // Ready when the worker says so in its log; an exit first (or a worker that never gets there) fails with its output.
  const ready = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${text}`)), () => undefined);
      timer = setTimeout(() => reject(new Error(`worker not ready after ${READY_TIMEOUT_MS} ms:\n${text}`)), READY_TIMEOUT_MS);
    });
    failed.catch(() => undefined);
    try {
      await Promise.race([readyLogged, failed]);
    } finally {
      clearTimeout(timer);
    }
  };
  const metric = async (name: string, match = ''): Promise<number> => {
    const port = find('worker.metrics_listening')?.port;
    const body = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
    return body
      .split('\n')
      .filter((line) => (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) && line.includes(match))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  };
  return { child, logs, stderr: () => text, exited, ready, metric };
}
