import { expect } from 'chai';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbedlineError } from '../../../core/errors.js';
import { ModelStore } from '../../../core/model/ModelStore.js';
import { HubSource } from '../../../core/model/sources/HubSource.js';
import { FailingSource } from '../../doubles/FailingSource.js';
import { realModel } from '../../support/model.js';

/** Serves a real model directory under the hub's `/<repo>/resolve/<revision>/<file>` layout. */
async function localHub(modelDir: string): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => {
    const match = /^\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    if (!match || match[1]!.includes('..')) return void res.writeHead(404).end();
    createReadStream(join(modelDir, match[1]!))
      .on('error', () => res.writeHead(404).end())
      .pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('ModelStore', () => {
  let root: string;
  let hub: Awaited<ReturnType<typeof localHub>>;
  const hubSource = (): HubSource => new HubSource({ endpoint: hub.endpoint, timeoutMs: 10_000 });

  before(async () => {
    hub = await localHub((await realModel()).dir);
  });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'embedline-models-'));
  });

  afterEach(async () => rm(root, { recursive: true, force: true }));

  after(() => hub.server.close());

  it('pulls every hub file over HTTP and records its sha256 in manifest.json', async () => {
    const store = new ModelStore(root);

    const report = await store.pull('all-MiniLM-L6-v2', [hubSource()]);

    expect(report.files.map((f) => f.path)).to.include.members(['config.json', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']);
    expect(report.files.find((f) => f.path === 'onnx/model.onnx')!.sha256).to.equal('759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e');
    expect(await store.isComplete('all-MiniLM-L6-v2')).to.equal(true);
    expect(await store.verify('all-MiniLM-L6-v2')).to.deep.equal([]);
  });

  it('falls back to the next source when the first is unreachable', async () => {
    const store = new ModelStore(root);
    const unreachable = new FailingSource();

    const report = await store.pull('all-MiniLM-L6-v2', [unreachable, hubSource()]);

    expect(unreachable.calls).to.equal(1);
    expect(report.failures.map((f) => f.source)).to.deep.equal(['unreachable']);
    expect(await store.isComplete('all-MiniLM-L6-v2')).to.equal(true);
  });

  it('fails with EMBEDLINE_MODEL_FETCH naming the missing files when no source answers', async () => {
    const store = new ModelStore(root);

    const error = await store.pull('all-MiniLM-L6-v2', [new FailingSource()]).catch((e: unknown) => e);

    expect(error).to.be.instanceOf(EmbedlineError);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_MODEL_FETCH');
    expect((error as EmbedlineError).message).to.contain('onnx/model.onnx');
  });

  it('keeps every failed source\'s own error as the cause, in the order tried', async () => {
    const store = new ModelStore(root);

    const error = (await store.pull('all-MiniLM-L6-v2', [new FailingSource(), new FailingSource()]).catch((e: unknown) => e)) as EmbedlineError;

    expect(error.cause).to.be.instanceOf(AggregateError);
    const causes = (error.cause as AggregateError).errors as Error[];
    expect(causes.map((c) => c.message)).to.deep.equal(['getaddrinfo ENOTFOUND', 'getaddrinfo ENOTFOUND']);
    expect(causes[0]!.stack).to.include('FailingSource');
  });

  it('reports a file whose bytes changed after the pull', async () => {
    const store = new ModelStore(root);
    await store.pull('all-MiniLM-L6-v2', [hubSource()]);
    await writeFile(join(root, 'all-MiniLM-L6-v2', 'config.json'), '{}');

    const problems = await store.verify('all-MiniLM-L6-v2');

    expect(problems.map((p) => p.file)).to.deep.equal(['config.json']);
  });

  it('takes the sentence-transformers files from the repository first, and ensure() adds only what an older pull lacks', async () => {
    const store = new ModelStore(root);
    const report = await store.pull('all-MiniLM-L6-v2', [hubSource()]);
    expect(report.files.find((f) => f.path === 'modules.json')!.source).to.equal('embedline:config/models/all-MiniLM-L6-v2/modules.json');
    // A directory pulled before modules.json was required: the manifest does not record it.
    const manifestPath = join(root, 'all-MiniLM-L6-v2', 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: Record<string, unknown> };
    delete manifest.files['modules.json'];
    await writeFile(manifestPath, JSON.stringify(manifest));
    await rm(join(root, 'all-MiniLM-L6-v2', 'modules.json'));
    const unreachable = new FailingSource();

    await store.ensure('all-MiniLM-L6-v2', [unreachable]);

    expect(unreachable.calls, 'no network source asked').to.equal(0);
    expect(await store.isComplete('all-MiniLM-L6-v2')).to.equal(true);
    expect(await store.verify('all-MiniLM-L6-v2')).to.deep.equal([]);
  });

  it('tells the user to run `embedline model pull` when a model is missing', async () => {
    const error = await new ModelStore(root).requireModel('all-MiniLM-L6-v2').catch((e: unknown) => e);

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_MODEL_NOT_FOUND');
    expect((error as EmbedlineError).message).to.contain('embedline model pull');
  });
});
