import { readFileSync } from 'node:fs';

/** Word pieces that are not text: the sketch leaves them out. */
const SPECIAL = /^\[(CLS|SEP|PAD|MASK)\]$/;

/**
 * The text of the window the model sees, rebuilt from its token ids: the tokenizer has already
 * normalized it (this model lowercases and strips accents), split punctuation off, and cut it at
 * the truncation point, so what lies past that point cannot make two texts look different, and
 * two texts that share only a tail past it cannot look alike. Word pieces are joined back into
 * words (`##` continues the previous word), words by one space.
 *
 * @example
 * const window = WindowText.fromTokenizerFile(model.tokenizerPath);
 * window.of(Int32Array.from([101, 7592, 2088, 102])); // 'hello world'
 */
export class WindowText {
  private constructor(private readonly pieces: readonly (string | undefined)[]) {}

  /** Reads the word-piece vocabulary of a Hugging Face tokenizer.json (WordPiece model). */
  static fromTokenizerFile(path: string): WindowText {
    const json = JSON.parse(readFileSync(path, 'utf8')) as { model?: { type?: string; vocab?: Record<string, number> } };
    const vocab = json.model?.vocab;
    if (!vocab || Array.isArray(vocab)) throw new Error(`${path} has no WordPiece vocabulary (model.vocab), which the near-duplicate sketch reads`);
    return WindowText.fromVocab(vocab);
  }

  static fromVocab(vocab: Readonly<Record<string, number>>): WindowText {
    const pieces: (string | undefined)[] = [];
    for (const [piece, id] of Object.entries(vocab)) if (!SPECIAL.test(piece)) pieces[id] = piece;
    return new WindowText(pieces);
  }

  of(ids: Int32Array): string {
    let out = '';
    for (const id of ids) {
      const piece = this.pieces[id];
      if (piece === undefined) continue;
      if (piece.startsWith('##')) out += piece.slice(2);
      else out += out === '' ? piece : ' ' + piece;
    }
    return out;
  }
}
