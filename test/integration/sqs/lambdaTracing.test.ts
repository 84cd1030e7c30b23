import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqsRecord } from '../../fixtures/sqsRecord.js';
import { startOtlpReceiver, type OtlpReceiver } from '../observability/support/otlpReceiver.js';
import { spansIn, spanAttribute } from '../observability/support/otlpSpans.js';

const INVOKE_ONCE = fileURLToPath(new URL('../../support/invokeLambdaOnce.js', import.meta.url));

describe('Lambda handler with tracing on', function () {
  this.timeout(120_000);
  let receiver: OtlpReceiver;
  let dir: string;

  before(async () => {
    [receiver, dir] = await Promise.all([startOtlpReceiver(), mkdtemp(join(tmpdir(), 'embedline-lambda-traced-'))]);
  });

  after(async () => {
    await Promise.all([receiver?.close(), dir && rm(dir, { recursive: true, force: true })]);
  });

  it('has sent its spans when it returns (a frozen environment loses none), continuing a record\'s traceparent', async () => {
    const [traceId, producerSpanId] = ['5b8aa5a2d2c872e8321cf37308d69df2', '051581bf3cb55c13'];
    const records = [sqsRecord.any({ id: 'lambda-traced-1', traceparent: `00-${traceId}-${producerSpanId}-01` }), sqsRecord.any({ id: 'lambda-traced-2' })];
    const eventFile = join(dir, 'event.json');
    await writeFile(eventFile, JSON.stringify({ Records: records }));

    // The child exits the moment the handler returns, without any shutdown.
    const child = spawn(process.execPath, [INVOKE_ONCE, eventFile], {
      env: { ...process.env, EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: join(dir, 'results'), EMBEDLINE_LOG_LEVEL: 'error', EMBEDLINE_TRACING_EXPORTER: 'otlp', EMBEDLINE_TRACING_ENDPOINT: receiver.tracesUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(code, stderr).to.equal(0);
    expect(JSON.parse(stdout)).to.deep.equal({ batchItemFailures: [] });
    const requests = spansIn(receiver.bodies).filter((s) => s.name === 'embedline.embed');
    expect(requests.map((s) => spanAttribute(s, 'embedline.request.id')).sort()).to.deep.equal(['lambda-traced-1', 'lambda-traced-2']);
    const continued = requests.find((s) => spanAttribute(s, 'embedline.request.id') === 'lambda-traced-1')!;
    expect([continued.traceId, continued.parentSpanId]).to.deep.equal([traceId, producerSpanId]);
  });
});
