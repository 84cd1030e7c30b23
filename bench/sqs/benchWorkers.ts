import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../bin/embedline.js', import.meta.url));

/** A running `embedline worker` child process. */
export interface BenchWorker {
  readonly child: ChildProcess;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The environment of an `embedline worker` child against a local SQS (ElasticMQ) writing results
 * to `resultsDir`; long polls are 2 s so a stop does not wait 20 s for an idle poll to return.
 */
export function localWorkerEnv(endpoint: string, resultsDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    EMBEDLINE_SQS_ENDPOINT: endpoint,
    EMBEDLINE_SQS_REGION: 'us-east-1',
    EMBEDLINE_SQS_WAIT_SECONDS: '2',
    EMBEDLINE_SINK: 'file',
    EMBEDLINE_RESULTS_DIR: resultsDir,
    EMBEDLINE_WORKER_METRICS_PORT: '0',
  };
}

/**
 * Starts `count` worker processes on one queue with the file sink into `resultsDir`, and resolves
 * once all have logged `worker.ready` (model loaded, queue checked). The machine's cores are split
 * between them (inference threads per process = cores / count), as separate ECS tasks would each
 * have their own; long polls are 2 s so a stop does not wait 20 s for an idle poll to return.
 */
export async function startBenchWorkers(count: number, queueUrl: string, endpoint: string, resultsDir: string): Promise<BenchWorker[]> {
  const env = { ...localWorkerEnv(endpoint, resultsDir), EMBEDLINE_WORKERS: String(inferenceWorkersPerProcess(count)) };
  const workers = Array.from({ length: count }, () => spawn(process.execPath, [CLI, 'worker', '--queue-url', queueUrl], { env, stdio: ['ignore', 'ignore', 'pipe'] }));
  await Promise.all(workers.map(waitForReady));
  return workers.map((child) => ({
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  }));
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes('"event":"worker.ready"')) {
        child.stderr!.off('data', onData);
        child.stderr!.resume(); // keep draining, so a full pipe never blocks the worker
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${log}`)));
  });
}

/** Inference worker threads (one ONNX Runtime session, one intra-op thread each) per worker process. */
export function inferenceWorkersPerProcess(processes: number): number {
  return Math.max(1, Math.floor(Math.min(availableParallelism(), 2 * processes) / processes));
}
