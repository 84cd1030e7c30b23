import { expect } from 'chai';
import { backoffDelayMs, failureVisibilitySec, isTransientAwsError, withRetry } from '../../../../adapters/sqs/retry.js';

describe('retry helpers', () => {
  it('doubles the backoff step per attempt up to the cap, with half of it random', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, 100, 500, () => 0))).to.deep.equal([50, 100, 200, 250, 250]);
    expect(backoffDelayMs(3, 100, 500, () => 1)).to.equal(400);
  });

  it('doubles the visibility after a retryable failure with every receive, up to the maximum', () => {
    expect([1, 2, 3, 4, 9].map((n) => failureVisibilitySec(n, 5, 60))).to.deep.equal([5, 10, 20, 40, 60]);
  });

  it('retries until the operation succeeds', async () => {
    let calls = 0;
    const result = await withRetry(async () => (++calls < 3 ? Promise.reject(new Error('blip')) : 'ok'), { attempts: 4, baseMs: 1 });

    expect([result, calls]).to.deep.equal(['ok', 3]);
  });

  it('stops at the first error that is not retryable', async () => {
    let calls = 0;
    const failing = withRetry(async () => Promise.reject(new Error(`no ${++calls}`)), { attempts: 4, baseMs: 1 }, { isRetryable: () => false });

    await failing.then(() => expect.fail('should reject'), (error: Error) => expect(error.message).to.equal('no 1'));
  });

  it('treats throttling, 5xx and refused connections as transient, and access errors as not', () => {
    expect(isTransientAwsError({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })).to.equal(true);
    expect(isTransientAwsError({ name: 'InternalError', $metadata: { httpStatusCode: 500 } })).to.equal(true);
    expect(isTransientAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).to.equal(true);
    expect(isTransientAwsError({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).to.equal(false);
    expect(isTransientAwsError({ name: 'QueueDoesNotExist', $metadata: { httpStatusCode: 400 } })).to.equal(false);
  });
});
