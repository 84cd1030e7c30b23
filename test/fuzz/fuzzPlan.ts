import { formatReport, type FuzzReport } from './runCases.js';
import { fuzzHttp, startHttpFuzzServer } from './targets/httpFuzz.js';
import { fuzzInputFiles } from './targets/inputFileFuzz.js';
import { fuzzLambda } from './targets/lambdaFuzz.js';
import { fuzzSqsWorker } from './targets/sqsWorkerFuzz.js';

/** Cases per target. Lambda counts records, drawn as events of one to ten (so the count it reports is near, not equal); the worker counts queued messages. */
export interface FuzzPlan {
  readonly http: number;
  readonly lambdaRecords: number;
  readonly sqsWorker: number;
  readonly inputFiles: number;
  readonly seed: number;
}

/** `npm run fuzz`: over 100,000 cases against the real server, handler, worker and reader. */
export const FULL_PLAN: FuzzPlan = { http: 60_000, lambdaRecords: 20_000, sqsWorker: 5_000, inputFiles: 20_000, seed: 20261202 };

/** The fixed-seed slice `npm test` runs: a few thousand cases, the same ones every time. */
export const SLICE_PLAN: FuzzPlan = { http: 1_500, lambdaRecords: 600, sqsWorker: 150, inputFiles: 800, seed: 11 };

/** Everything a run found, per target, plus the checks that span a whole target. */
export interface FuzzRun {
  readonly reports: readonly FuzzReport[];
  /** The canary sentences still embed to the same vectors over HTTP after the HTTP run. */
  readonly canariesOk: boolean;
  /** How the worker process ended when stopped with SIGTERM (0 when it drained cleanly). */
  readonly workerExit: number | string;
  readonly checkedVectors: number;
}

/**
 * Runs every target in turn (they share the machine's cores, so in turn is faster and fairer).
 * The HTTP server's runtime also serves the Lambda handler and is the worker's reference for vectors.
 */
export async function runFuzzPlan(plan: FuzzPlan, progress: (line: string) => void = () => undefined): Promise<FuzzRun> {
  const server = await startHttpFuzzServer();
  try {
    const http = await fuzzHttp(server, { count: plan.http, seed: plan.seed, concurrency: 16, checkEvery: 25 });
    progress(formatReport(http));
    const lambda = await fuzzLambda(server.runtime, { count: plan.lambdaRecords, seed: plan.seed + 1, concurrency: 4 });
    progress(formatReport(lambda));
    const files = await fuzzInputFiles({ count: plan.inputFiles, seed: plan.seed + 2, concurrency: 4 });
    progress(formatReport(files));
    const worker = await fuzzSqsWorker({ count: plan.sqsWorker, seed: plan.seed + 3, round: 500, checkEvery: 25, reference: server.runtime });
    progress(formatReport(worker));
    return { reports: [http, lambda, files, worker], canariesOk: http.canariesOk, workerExit: worker.workerExit, checkedVectors: http.checkedVectors };
  } finally {
    await server.close();
  }
}
