/**
 * The tiktoken encodings whose ranks ship inside js-tiktoken, so decoding token ids needs no
 * download. `cl100k_base` is what LangChain's `OpenAIEmbeddings` and the `openai` clients use
 * for embedding models (an unknown model name such as ours falls back to it); `o200k_base` is
 * the GPT-4o family's.
 */
export const TOKEN_ID_ENCODINGS = ['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base'] as const;
export type TokenIdEncoding = (typeof TOKEN_ID_ENCODINGS)[number];

/** Messages between {@link TokenIdDecoder} and its worker thread. */
export interface DecodeRequest {
  readonly id: number;
  readonly inputs: readonly (readonly number[])[];
}

export type DecodeReply =
  | { readonly id: number; readonly texts: string[] }
  /** `input` and `position` locate the first id the encoding does not define. */
  | { readonly id: number; readonly unknown: { readonly input: number; readonly position: number; readonly tokenId: number } }
  | { readonly id: number; readonly failure: string };
