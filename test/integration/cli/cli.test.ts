import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { runCli } from '../../support/cli.js';
import { maxAbsDiff } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';

const lines = Array.from({ length: 10_000 }, (_, i) => `Line ${i}: ${['a short note', 'the weather today is mild with some clouds in the afternoon', 'embedding pipelines batch texts by length to avoid padding'][i % 3]}`);

describe('embedline CLI', () => {
  let dir: string;
  let runtime: EmbedlineRuntime;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-cli-'));
    await writeFile(join(dir, 'input.txt'), `${lines.join('\n')}\n`);
    runtime = await startTestRuntime();
  });

  after(async () => {
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('embeds a 10,000-line file to JSONL rows in input order, equal to direct embedding', async () => {
    const output = join(dir, 'out.jsonl');

    const result = await runCli(['embed', join(dir, 'input.txt'), '-o', output]);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.contain('10000/10000');
    const rows = (await readFile(output, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; embedding: number[] });
    expect(rows.map((r) => r.id)).to.deep.equal(lines.map((_, i) => String(i + 1)));
    for (const index of [0, 1, 2, 4999, 9999]) {
      const direct = (await runtime.pipeline.embed([lines[index]!])).vectors[0]!.values;
      expect(maxAbsDiff(Float32Array.from(rows[index]!.embedding), direct)).to.be.at.most(1e-5);
    }
  });

  it('resumes after being killed mid-run: every id exactly once', async () => {
    const output = join(dir, 'resume.jsonl');
    const first = runCli(['embed', join(dir, 'input.txt'), '-o', output, '--chunk', '64']);
    await waitFor(async () => (await stat(output).catch(() => ({ size: 0 }))).size > 500_000);
    first.child.kill('SIGKILL');
    await first;

    const second = await runCli(['embed', join(dir, 'input.txt'), '-o', output, '--resume']);

    expect(second.code, second.stderr).to.equal(0);
    expect(second.stderr).to.match(/\(([1-9]\d*) already done\)/);
    const ids = (await readFile(output, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.length).to.equal(10_000);
    expect(new Set(ids).size).to.equal(10_000);
  });

  it('reads JSONL with a text field and CSV with --column, and writes .npy', async () => {
    await writeFile(join(dir, 'in.jsonl'), '{"id":"a","text":"first"}\n{"id":"b","text":"second"}\n');
    await writeFile(join(dir, 'in.csv'), 'key,body\nx,"hello, world"\ny,bye\n');

    const jsonl = await runCli(['embed', join(dir, 'in.jsonl')]);
    const npy = await runCli(['embed', join(dir, 'in.csv'), '--column', 'body', '--id-column', 'key', '-o', join(dir, 'out.npy')]);

    expect(jsonl.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).to.deep.equal(['a', 'b']);
    expect(npy.code, npy.stderr).to.equal(0);
    const bytes = await readFile(join(dir, 'out.npy'));
    expect(bytes.subarray(1, 6).toString()).to.equal('NUMPY');
    expect(bytes.toString('latin1')).to.contain("'shape': (2, 384)");
    expect(bytes.length % 64).to.equal((2 * 384 * 4) % 64);
  });

  it('exits 2 with a message for a usage error', async () => {
    const result = await runCli(['embed', join(dir, 'input.txt'), '--resume']);

    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('--resume');
  });

  it('exits 2 for an invalid configuration, naming the variable', async () => {
    const result = await runCli(['config', 'print'], { EMBEDLINE_PORT: 'eighty' });

    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('http.port');
  });

  it('exits 1 for a missing input file, naming it', async () => {
    const result = await runCli(['embed', join(dir, 'nope.txt')]);

    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain(join(dir, 'nope.txt'));
  });

  it('prints the resolved config with the plugins the seed switches enable and disable', async () => {
    // slo-tracker is listed but its switch is off; memory-pool is not listed but its switch is on.
    const env = { EMBEDLINE_PORT: '9001', EMBEDLINE_PLUGINS: 'weighted-scheduler,slo-tracker', EMBEDDING_GPU_MEMORY_POOL: 'yes', EMBEDDING_SLO_TRACKING: 'false' };

    const result = await runCli(['config', 'print'], env);

    expect(result.code, result.stderr).to.equal(0);
    const printed = JSON.parse(result.stdout) as { config: { http: { port: number }; plugins: string[] }; plugins: { name: string; enabled: boolean }[] };
    expect(printed.config.http.port).to.equal(9001);
    expect([...printed.config.plugins].sort()).to.deep.equal(['memory-pool', 'weighted-scheduler']);
    const enabled = Object.fromEntries(printed.plugins.map((p) => [p.name, p.enabled]));
    expect(enabled).to.include({ 'memory-pool': true, 'slo-tracker': false, 'weighted-scheduler': true });
    expect(printed.plugins.filter((p) => p.enabled).map((p) => p.name).sort()).to.deep.equal(['memory-pool', 'weighted-scheduler']);
  });

  it('shows --help for every command', async () => {
    for (const command of [[], ['serve'], ['embed'], ['model'], ['model', 'pull'], ['config', 'print']]) {
      const result = await runCli([...command, '--help']);
      expect(result.code, command.join(' ')).to.equal(0);
      expect(result.stdout).to.contain('Usage: embedline');
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
