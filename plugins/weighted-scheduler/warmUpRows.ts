import type { TextTokenizer } from '../../core/encoder/TextTokenizer.js';

/** Ordinary prose of a typical length (~30 word pieces), so the probe times a realistic batch shape. */
const PROBE_TEXT = 'Embedline warms up each inference device with a short batch of ordinary sentences before it takes real work, and times the last run.';

/**
 * The warm-up batch every device runs when it starts or leaves quarantine: `rows` copies of
 * one tokenized sentence, through the real tokenizer.
 *
 * @example
 * const rows = await warmUpRows(runtime.tokenizer, 8);
 */
export async function warmUpRows(tokenizer: TextTokenizer, rows: number): Promise<Int32Array[]> {
  const [probe] = await tokenizer.tokenize([PROBE_TEXT]);
  return Array.from({ length: rows }, () => probe!.ids);
}
