import { expect } from 'chai';
import { SqsResultSink } from '../../../../adapters/sinks/SqsResultSink.js';
import { EmbedlineError } from '../../../../core/errors.js';
import { result } from './resultFixture.js';

/** These paths end before any SQS call, so the client must never be used. */
const unusedClient = { send: () => Promise.reject(new Error('no SQS call expected')) };

describe('SqsResultSink', () => {
  it('fails permanently, saying what to change, when the result does not fit in a message', async () => {
    const sink = new SqsResultSink(unusedClient, 'http://127.0.0.1:9324/000000000000/results', 1000);

    const error = (await sink.write(result({ vectors: Array.from({ length: 10 }, () => new Float32Array(384)) })).catch((e: unknown) => e)) as EmbedlineError;

    expect(error.code).to.equal('EMBEDLINE_SINK');
    expect(error.context.retryable).to.equal(false);
    expect(error.message).to.match(/send fewer texts per message/);
  });

  it('fails permanently when there is neither a reply-to queue nor a results queue', async () => {
    const sink = new SqsResultSink(unusedClient, undefined, 262_144);

    const error = (await sink.write(result()).catch((e: unknown) => e)) as EmbedlineError;

    expect(error.context.retryable).to.equal(false);
    expect(error.message).to.contain('EMBEDLINE_RESULTS_QUEUE_URL');
  });
});
