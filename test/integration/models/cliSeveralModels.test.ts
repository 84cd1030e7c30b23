import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../../support/cli.js';
import { terminate, trackChild } from '../../support/serverChild.js';
import { singleModelVectors, TEXTS, worstDiff } from './support/singleModelVectors.js';

const BGE = 'bge-small-en-v1.5';
const MINILM = 'all-MiniLM-L6-v2';
const ENV = { EMBEDLINE_WORKERS: '1', EMBEDLINE_INTRA_OP_THREADS: '1', EMBEDLINE_API_KEY: '', EMBEDLINE_MODELS: '' };

/** `embedline serve --model … --model …` as an operator runs it; resolves with its address once ready. */
function serve(args: readonly string[]): { child: ChildProcess; ready: Promise<string> } {
  const child = trackChild(spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', ...args], { env: { ...process.env, ...ENV }, stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const address = /listening on (\S+)/.exec(stderr)?.[1];
      if (address && stderr.includes('embedline: ready')) resolve(address);
    });
    child.once('exit', (code) => reject(new Error(`embedline serve exited with ${code}:\n${stderr}`)));
  });
  return { child, ready };
}

describe('several models from the command line (real models)', function () {
  this.timeout(600_000);
  let dir: string;
  let server: { child: ChildProcess; ready: Promise<string> } | undefined;

  before(async () => (dir = await mkdtemp(join(tmpdir(), 'embedline-models-cli-'))));
  after(async () => {
    if (server) await terminate(server.child);
    await rm(dir, { recursive: true, force: true });
  });

  it('`embedline serve --model bge-small-en-v1.5 --model all-MiniLM-L6-v2` serves both, each with its own vectors', async () => {
    server = serve(['--model', BGE, '--model', MINILM]);
    const base = await server.ready;
    const embed = async (body: unknown) => ((await (await fetch(`${base}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { model: string; data: { embedding: number[] }[] });

    const [bge, minilm, byDefault] = await Promise.all([embed({ input: TEXTS, model: BGE }), embed({ input: TEXTS, model: MINILM }), embed({ input: TEXTS })]);
    const listed = ((await (await fetch(`${base}/v1/models`)).json()) as { data: { id: string }[] }).data.map((m) => m.id);

    expect(listed).to.deep.equal([BGE, MINILM]);
    expect(worstDiff(bge.data.map((d) => d.embedding), await singleModelVectors(BGE))).to.be.at.most(1e-5);
    expect(worstDiff(minilm.data.map((d) => d.embedding), await singleModelVectors(MINILM))).to.be.at.most(1e-5);
    expect(byDefault.model).to.equal(BGE);
    await terminate(server.child);
    server = undefined;
  });

  it('`embedline embed --model bge-small-en-v1.5 --input-type query` embeds a file with that model and prompt', async () => {
    const input = join(dir, 'texts.txt');
    const output = join(dir, 'out.jsonl');
    await writeFile(input, `${TEXTS.join('\n')}\n`);

    const result = await runCli(['embed', input, '-o', output, '--model', BGE, '--input-type', 'query'], ENV);

    expect(result.code, result.stderr).to.equal(0);
    const rows = (await readFile(output, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { embedding: number[] });
    expect(worstDiff(rows.map((r) => r.embedding), await singleModelVectors(BGE, { prompt: { inputType: 'query' } }))).to.be.at.most(1e-5);
  });

  it('refuses a --model served twice before loading anything (exit 2, naming it)', async () => {
    const result = await runCli(['serve', '--port', '0', '--model', MINILM, '--model', MINILM], ENV);

    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('served twice');
  });
});
