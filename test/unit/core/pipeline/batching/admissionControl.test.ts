import { expect } from 'chai';
import { EmbedlineError } from '../../../../../core/errors.js';
import { AdmissionControl } from '../../../../../core/pipeline/batching/AdmissionControl.js';
import { ThroughputEstimator } from '../../../../../core/pipeline/batching/ThroughputEstimator.js';

function measured(tokensPerBatch: number, ms: number, parallelism = 2): ThroughputEstimator {
  const estimator = new ThroughputEstimator(parallelism);
  estimator.record(tokensPerBatch, ms);
  return estimator;
}

describe('AdmissionControl', () => {
  it('admits anything before the first batch is measured', () => {
    const admission = new AdmissionControl(new ThroughputEstimator(2), { critical: 10, normal: 10, background: 10 });

    expect(() => admission.check('normal', 1_000_000)).not.to.throw();
  });

  it('estimates the wait as tokens ahead over measured tokens/s times the parallel batches', () => {
    // 1,000 tokens in 500 ms on each of 2 workers: 4,000 tokens/s.
    const admission = new AdmissionControl(measured(1000, 500), { critical: 1000, normal: 1000, background: 1000 });

    expect(admission.expectedWaitMs(8000)).to.equal(2000);
  });

  it('refuses work over its priority limit with EMBEDLINE_OVERLOADED and a Retry-After from the estimate', () => {
    const admission = new AdmissionControl(measured(1000, 500), { critical: 1000, normal: 1000, background: 1000 });
    let error: EmbedlineError | undefined;

    try {
      admission.check('normal', 20_000); // 20,000 tokens ahead at 4,000/s = 5 s, 4 s over the limit
    } catch (e) {
      error = e as EmbedlineError;
    }

    expect(error?.code).to.equal('EMBEDLINE_OVERLOADED');
    expect(error?.context.retryAfterSeconds).to.equal(4);
    expect(error?.context.expectedWaitMs).to.equal(5000);
  });

  it('admits a critical request that a background one with the same work ahead is refused for', () => {
    const admission = new AdmissionControl(measured(1000, 500), { critical: 10_000, normal: 5000, background: 1000 });

    expect(() => admission.check('critical', 8000)).not.to.throw();
    expect(() => admission.check('background', 8000)).to.throw(EmbedlineError);
  });

  it('limits a priority without a configured delay by the request\'s own remaining time, and says so', () => {
    const admission = new AdmissionControl(measured(1000, 500), { critical: 1000, normal: undefined, background: undefined });

    // 20,000 tokens ahead at 4,000/s = 5 s: a request with 10 s left is admitted, one with 3 s left is not.
    expect(() => admission.check('normal', 20_000, 10_000)).not.to.throw();
    let error: EmbedlineError | undefined;
    try {
      admission.check('background', 20_000, 3_000);
    } catch (e) {
      error = e as EmbedlineError;
    }
    expect(error?.code).to.equal('EMBEDLINE_OVERLOADED');
    expect(error?.message).to.include("over its limit of 3000 ms (the request's remaining timeout)");
    expect(error?.context.retryAfterSeconds).to.equal(2);
    // A configured limit wins over a longer remaining time.
    expect(() => admission.check('critical', 20_000, 60_000)).to.throw(EmbedlineError, 'batching.maxQueueDelayMs.critical');
  });

  it("counts the request's own tokens against its remaining time (it must finish by then), but not against a configured queue delay", () => {
    const admission = new AdmissionControl(measured(1000, 500), { critical: 5000, normal: undefined, background: undefined });

    // 16,000 tokens ahead (4 s at 4,000/s) and 8,000 of its own (2 s): 6 s to the answer.
    expect(() => admission.check('normal', 16_000, 7000, 8000)).not.to.throw();
    let error: EmbedlineError | undefined;
    try {
      admission.check('normal', 16_000, 5000, 8000);
    } catch (e) {
      error = e as EmbedlineError;
    }
    expect(error?.code).to.equal('EMBEDLINE_OVERLOADED');
    expect(error?.context).to.include({ expectedWaitMs: 6000, maxQueueDelayMs: 5000, retryAfterSeconds: 1 });
    expect(error?.message).to.include('would take about 6000 ms to finish');
    // The configured 5 s is on queueing alone: 4 s ahead is admitted whatever its own size.
    expect(() => admission.check('critical', 16_000, 5000, 8000)).not.to.throw();
  });
});
