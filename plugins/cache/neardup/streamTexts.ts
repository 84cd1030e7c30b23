import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { MODEL_RUNTIME } from '../../../core/ports/ModelRuntime.js';
import type { StreamText } from './simulateNearDuplicates.js';
import { WindowText } from './windowText.js';

/** Texts per embed call: large enough to batch well, small enough for the request timeout. */
const CHUNK = 128;

/**
 * Each text of a stream as the near-duplicate tier sees it: its token ids and window text from
 * the runtime's own tokenizer, and its true vector from the runtime's model (each distinct text
 * embedded once). The runtime should run without the cache plugin, so every vector is computed.
 *
 * @example
 * const stream = await streamTexts(await startEmbedline({ ...config, plugins: [] }, PLUGIN_CATALOGUE), texts);
 */
export async function streamTexts(runtime: EmbedlineRuntime, texts: readonly string[], progress: (done: number, total: number) => void = () => {}): Promise<StreamText[]> {
  const model = await runtime.container.getAsync(MODEL_RUNTIME);
  const window = WindowText.fromTokenizerFile(model.model.tokenizerPath);
  const distinct = [...new Set(texts)];
  const vectorOf = new Map<string, Float32Array>();
  const idsOf = new Map<string, Int32Array>();
  for (let at = 0; at < distinct.length; at += CHUNK) {
    const chunk = distinct.slice(at, at + CHUNK);
    const [{ vectors }, tokenized] = await Promise.all([runtime.pipeline.embed(chunk, { priority: 'normal', timeoutMs: 600_000 }), model.tokenizer.tokenize(chunk)]);
    chunk.forEach((text, i) => {
      vectorOf.set(text, vectors[i]!.values);
      idsOf.set(text, tokenized[i]!.ids);
    });
    progress(Math.min(at + CHUNK, distinct.length), distinct.length);
  }
  return texts.map((text) => {
    const ids = idsOf.get(text)!;
    return { text, ids, window: window.of(ids), vector: vectorOf.get(text)! };
  });
}
