/**
 * Worker-thread entry that turns tiktoken ids back into text. Building js-tiktoken's tables
 * takes about a second of CPU and 33 MB, so it happens here, once, on first use, and never on
 * the event loop that serves requests.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { Tiktoken as TiktokenType, TiktokenBPE } from 'js-tiktoken/lite';
import type { DecodeReply, DecodeRequest, TokenIdEncoding } from './tokenIdEncodings.js';

const require = createRequire(import.meta.url);
const encodingName = (workerData as { encoding: TokenIdEncoding }).encoding;
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: typeof TiktokenType };
const ranks = require(`js-tiktoken/ranks/${encodingName}`) as TiktokenBPE | { default: TiktokenBPE };
const bpe = 'default' in ranks ? ranks.default : ranks;
// Its decoder drops a leading U+FEFF (TextDecoder's default); the model's tokenizer ignores that
// character anyway, so the vectors are the same.
const encoding = new Tiktoken(bpe);

// js-tiktoken's decode skips ids it does not know, so they are checked first against the ids
// its rank table defines: each line of `bpe_ranks` is "<prefix> <first rank> <token> <token> …".
const knownIds = new Set<number>(Object.values(bpe.special_tokens));
for (const line of bpe.bpe_ranks.split('\n')) {
  const fields = line.split(' ');
  const first = Number.parseInt(fields[1] ?? '', 10);
  for (let rank = first; rank < first + fields.length - 2; rank++) knownIds.add(rank);
}

function decodeAll(request: DecodeRequest): DecodeReply {
  for (const [input, ids] of request.inputs.entries()) {
    const position = ids.findIndex((tokenId) => !knownIds.has(tokenId));
    if (position >= 0) return { id: request.id, unknown: { input, position, tokenId: ids[position]! } };
  }
  return { id: request.id, texts: request.inputs.map((ids) => encoding.decode(ids as number[])) };
}

parentPort!.on('message', (request: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    reply = decodeAll(request);
  } catch (error) {
    reply = { id: request.id, failure: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
