import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.js';

/** Bad flags are the caller's mistake: exit 2, the flag named, no error code, nothing started. */
describe('CLI usage errors exit 2 and name the flag', function () {
  this.timeout(30_000);
  let dir: string;
  let input: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-usage-'));
    input = join(dir, 'texts.txt');
    await writeFile(input, 'one\ntwo\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const cases: { args: string[]; names: string }[] = [
    { args: ['serve', '--port', '80x'], names: "'--port <port>' argument '80x' is invalid" },
    { args: ['serve', '--port', '70000'], names: 'Expected an integer in 0..65535' },
    { args: ['worker', '--queue-url', 'http://127.0.0.1:1/q', '--metrics-port', '-1'], names: "'--metrics-port <port>' argument '-1' is invalid" },
    { args: ['enqueue', 'INPUT', '--queue-url', 'http://127.0.0.1:1/q', '--concurrency', '0'], names: "'--concurrency <n>' argument '0' is invalid" },
    { args: ['enqueue', 'INPUT', '--queue-url', 'http://127.0.0.1:1/q', '--priority', 'urgent'], names: '--priority must be critical, normal or background' },
    { args: ['enqueue', 'INPUT'], names: 'enqueue needs a queue URL: pass --queue-url or set EMBEDLINE_QUEUE_URL' },
    { args: ['serve', '--no-such-flag'], names: "unknown option '--no-such-flag'" },
    { args: ['embed', 'INPUT', '--chunk', '0'], names: "'--chunk <n>' argument '0' is invalid" },
    { args: ['embed', 'INPUT', '--priority', 'urgent'], names: '--priority must be critical, normal or background' },
    { args: ['embed', 'INPUT', '--resume'], names: '--resume needs --output <file>.jsonl' },
  ];
  for (const { args, names } of cases) {
    it(`embedline ${args.join(' ')}`, async () => {
      const result = await runCli(args.map((a) => (a === 'INPUT' ? input : a)), { EMBEDLINE_QUEUE_URL: '' });
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.include(names);
      expect(result.stderr).to.not.include('EMBEDLINE_CONFIG');
      expect(result.stderr).to.not.include('listening');
    });
  }
});
