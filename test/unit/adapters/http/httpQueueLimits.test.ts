import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import { withHttpQueueLimits } from '../../../../adapters/http/httpQueueLimits.js';

describe('embedline serve queue-delay limits', () => {
  it('gives every priority the documented HTTP default when batching sets none', () => {
    const config = withHttpQueueLimits(configSchema.parse({}));
    expect(config.batching.maxQueueDelayMs).to.deep.equal({ critical: 10_000, normal: 5_000, background: 2_000 });
  });

  it('keeps what batching.maxQueueDelayMs sets and fills only the rest', () => {
    const config = withHttpQueueLimits(configSchema.parse({ batching: { maxQueueDelayMs: { normal: 800 } }, http: { maxQueueDelayMs: { background: 300 } } }));
    expect(config.batching.maxQueueDelayMs).to.deep.equal({ critical: 10_000, normal: 800, background: 300 });
  });

  it('leaves the parsed config itself as it was (the SQS worker and Lambda keep the remaining-timeout rule)', () => {
    const parsed = configSchema.parse({});
    withHttpQueueLimits(parsed);
    expect(parsed.batching.maxQueueDelayMs).to.deep.equal({});
  });
});
