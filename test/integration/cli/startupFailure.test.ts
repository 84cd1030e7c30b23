import { expect } from 'chai';
import { runCli } from '../../support/cli.js';

/**
 * A process that cannot start must exit non-zero with the typed error, so a supervisor (ECS,
 * systemd) restarts it or alerts, instead of listening and answering 503 forever.
 */
describe('start-up failure exits (serve, as a child process)', function () {
  this.timeout(120_000);

  it('exits 2 with EMBEDLINE_CONFIG when the plugin configuration is invalid', async () => {
    const result = await runCli(['serve', '--port', '0'], { EMBEDLINE_PLUGINS: 'no-such-plugin' });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('[EMBEDLINE_CONFIG]').and.to.contain('no-such-plugin');
  });

  it('exits 1 with EMBEDLINE_DEVICE_UNAVAILABLE when the execution provider cannot start here', async () => {
    const result = await runCli(['serve', '--port', '0'], { EMBEDLINE_EXECUTION_PROVIDERS: 'cuda' });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('[EMBEDLINE_DEVICE_UNAVAILABLE]');
  });
});

describe('.env in the working directory (the seed quick start)', function () {
  this.timeout(60_000);

  it('applies the file, and real environment variables win over it', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'embedline-dotenv-'));
    writeFileSync(join(dir, '.env'), 'EMBEDLINE_PORT=8123\nEMBEDLINE_MAX_PADDING_RATIO=0.25\n');
    const result = await runCli(['config', 'print'], { EMBEDLINE_MAX_PADDING_RATIO: '0.1' }, dir);
    expect(result.code).to.equal(0);
    const printed = (JSON.parse(result.stdout) as { config: { http: { port: number }; batching: { maxPaddingRatio: number } } }).config;
    expect(printed.http.port).to.equal(8123);
    expect(printed.batching.maxPaddingRatio).to.equal(0.1);
  });
});

describe('the adaptive batching seed switch', function () {
  this.timeout(60_000);

  // Until predictive-batch-size existed this switch failed every command naming it; the hint for a
  // switch whose plugin is missing is unit-tested in test/unit/core/container.test.ts.
  it('EMBEDDING_ADAPTIVE_BATCH_SIZE=true enables predictive-batch-size, as config print shows', async () => {
    const result = await runCli(['config', 'print'], { EMBEDDING_ADAPTIVE_BATCH_SIZE: 'true' });
    expect(result.code, result.stderr).to.equal(0);
    const printed = (JSON.parse(result.stdout) as { config: { plugins: string[] } }).config;
    expect(printed.plugins).to.include('predictive-batch-size');
  });
});
