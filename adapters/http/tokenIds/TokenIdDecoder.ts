import { Worker } from 'node:worker_threads';
import { EmbedlineError } from '../../../core/errors.js';
import type { DecodeReply, DecodeRequest, TokenIdEncoding } from './tokenIdEncodings.js';

const WORKER_ENTRY = new URL('./tokenIdWorker.js', import.meta.url);

interface Pending {
  resolve(texts: string[]): void;
  reject(error: Error): void;
}

/**
 * Decodes OpenAI-style token-id inputs (what LangChain's `OpenAIEmbeddings` sends by default)
 * back to text, so the model's own tokenizer can tokenize it again. The tiktoken tables live in
 * one worker thread started on first use; a process that never receives token ids never pays
 * for them. The thread does not keep the process alive.
 *
 * @example
 * const decoder = new TokenIdDecoder('cl100k_base');
 * await decoder.decode([[9906, 1917]], 'input'); // ['Hello world']
 */
export class TokenIdDecoder {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(readonly encoding: TokenIdEncoding) {}

  /** Texts for each id list; an id the encoding does not define is EMBEDLINE_BAD_INPUT naming it. */
  decode(inputs: readonly (readonly number[])[], field: string): Promise<string[]> {
    const id = this.nextId++;
    return new Promise<string[]>((resolve, reject) => {
      this.pending.set(id, {
        resolve,
        reject,
      });
      this.started().postMessage({ id, inputs } satisfies DecodeRequest);
    }).catch((error: unknown) => {
      throw error instanceof UnknownTokenId ? this.unknownIdError(error, field) : error;
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_ENTRY, { workerData: { encoding: this.encoding } });
    worker.unref();
    worker.on('message', (reply: DecodeReply) => this.settle(reply));
    // A thread that dies (it should not) fails what it held; the next call starts a new one.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      const failure = new EmbedlineError('EMBEDLINE_INTERNAL', `The token-id decoder thread failed: ${error.message}`, {}, { cause: error });
      for (const pending of this.pending.values()) pending.reject(failure);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: DecodeReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if ('texts' in reply) pending.resolve(reply.texts);
    else if ('unknown' in reply) pending.reject(new UnknownTokenId(reply.unknown.input, reply.unknown.position, reply.unknown.tokenId));
    else pending.reject(new EmbedlineError('EMBEDLINE_INTERNAL', `Decoding token ids failed: ${reply.failure}`));
  }

  private unknownIdError(error: UnknownTokenId, field: string): EmbedlineError {
    return new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}[${error.input}][${error.position}]" is ${error.tokenId}, which is not a token id of ${this.encoding}; token-id inputs are decoded with ${this.encoding} and re-tokenized with the model's own tokenizer.`, { index: error.input, position: error.position });
  }
}

class UnknownTokenId extends Error {
  constructor(readonly input: number, readonly position: number, readonly tokenId: number) {
    super(`unknown token id ${tokenId}`);
  }
}
