import { Tokenizer } from 'tokenizers';
import { EmbedlineError } from '../errors.js';

/** A text as the model sees it: word-piece ids including [CLS] and [SEP]. */
export interface TokenizedText {
  readonly ids: Int32Array;
}

/**
 * Hugging Face `tokenizers` (Rust, native) with truncation at the model's sequence limit and
 * no padding: padding is decided per batch, after texts are grouped by length.
 *
 * @example
 * const tokenizer = TextTokenizer.fromFile('/models/all-MiniLM-L6-v2/tokenizer.json', 256);
 * const [hello] = await tokenizer.tokenize(['hello world']); // ids: [101, 7592, 2088, 102]
 */
export class TextTokenizer {
  private constructor(private readonly tokenizer: Tokenizer, readonly maxTokens: number) {}

  static fromFile(path: string, maxTokens: number): TextTokenizer {
    const tokenizer = Tokenizer.fromFile(path);
    tokenizer.setTruncation(maxTokens);
    tokenizer.disablePadding();
    return new TextTokenizer(tokenizer, maxTokens);
  }

  /** Runs on the native thread pool (`encodeBatch` is async), so the event loop stays free. */
  async tokenize(texts: readonly string[]): Promise<TokenizedText[]> {
    if (texts.length === 0) return [];
    try {
      const encodings = await this.tokenizer.encodeBatch(texts as string[]);
      return encodings.map((encoding) => ({ ids: Int32Array.from(encoding.getIds()) }));
    } catch (error) {
      throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `The tokenizer rejected the input: ${(error as Error).message}`, {}, { cause: error });
    }
  }
}
