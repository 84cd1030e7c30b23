import { expect } from 'chai';
import { formatReport } from './runCases.js';
import { runFuzzPlan, SLICE_PLAN, type FuzzRun } from './fuzzPlan.js';

/**
 * The fixed-seed slice of `npm run fuzz` (same cases every run): the real HTTP server, the Lambda
 * handler, the SQS worker process on ElasticMQ and the CLI input reader.
 */
describe('fuzz slice (fixed seed, real server, handler, worker and reader)', function () {
  this.timeout(600_000);
  let run: FuzzRun;

  before(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    run = await runFuzzPlan(SLICE_PLAN);
  });

  for (const target of ['http', 'lambda', 'cli-input-files', 'sqs-worker']) {
    it(`${target}: every case ends as a typed rejection or a correct answer, with no crash, 5xx or hang`, () => {
      const report = run.reports.find((r) => r.target === target)!;

      expect(report.cases, 'cases run').to.be.greaterThan(100);
      expect(report.failureCount, formatReport(report)).to.equal(0);
    });
  }

  it('still embeds the canary sentences to the same vectors after the HTTP run', () => {
    expect(run.canariesOk).to.equal(true);
  });

  it('stops the worker cleanly with SIGTERM after its run', () => {
    expect(run.workerExit).to.equal(0);
  });
});
