import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileResultSink } from '../../../../adapters/sinks/FileResultSink.js';
import { EmbedlineError } from '../../../../core/errors.js';
import { result } from './resultFixture.js';

describe('FileResultSink', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-file-sink-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes <id>.jsonl and leaves no temporary file behind', async () => {
    const sink = new FileResultSink(join(dir, 'out'), 'jsonl');

    const { location } = await sink.write(result());

    expect(location).to.equal(join(dir, 'out', 'doc-1.jsonl'));
    expect(await readdir(join(dir, 'out'))).to.deep.equal(['doc-1.jsonl']);
  });

  it('replaces the result of a redelivered message instead of adding a second one', async () => {
    const sink = new FileResultSink(dir, 'jsonl');

    await sink.write(result({ messageId: 'first-delivery' }));
    await sink.write(result({ messageId: 'second-delivery', vectors: [Float32Array.of(7, 7, 7, 7)] }));

    expect(await readdir(dir)).to.deep.equal(['doc-1.jsonl']);
    expect((await readFile(join(dir, 'doc-1.jsonl'), 'utf8')).trim().split('\n')).to.have.length(1);
  });

  it('uses the format a message asks for', async () => {
    await new FileResultSink(dir, 'jsonl').write(result({ format: 'npy' }));

    expect(await readdir(dir)).to.deep.equal(['doc-1.npy']);
  });

  it('fails with a retryable EMBEDLINE_SINK error naming the id when the directory cannot exist', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const sink = new FileResultSink(join(dir, 'file', 'results'), 'jsonl');

    const error = await sink.write(result()).then(() => undefined, (e: unknown) => e);

    expect(error).to.be.instanceOf(EmbedlineError);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_SINK');
    expect((error as EmbedlineError).context).to.deep.include({ sink: 'file', id: 'doc-1', retryable: true });
    expect((error as EmbedlineError).message).to.contain('ENOTDIR');
  });

  it('appends failures to failures/failures.jsonl, and swallows errors doing so', async () => {
    const failure = { at: '2026-01-01T00:00:00.000Z', messageId: 'm-9', reason: 'malformed_json', code: 'EMBEDLINE_BAD_INPUT' as const, message: 'not JSON', receiveCount: 2, retryable: false };

    await writeFile(join(dir, 'file'), 'x');

    await new FileResultSink(dir, 'jsonl').recordFailure(failure);
    await new FileResultSink(join(dir, 'file', 'results'), 'jsonl').recordFailure(failure);

    expect(JSON.parse(await readFile(join(dir, 'failures', 'failures.jsonl'), 'utf8'))).to.deep.equal(failure);
  });
});
