import type { EmbeddingResult } from '../../../../core/ports/ResultSink.js';

/** A small result with recognizable values: vector i holds i + j / 10 at position j. */
export function result(overrides: Partial<EmbeddingResult> = {}): EmbeddingResult {
  return {
    id: 'doc-1',
    messageId: 'm-1',
    model: 'all-MiniLM-L6-v2',
    vectors: [0, 1, 2].map((i) => Float32Array.from({ length: 4 }, (_, j) => i + j / 10)),
    promptTokens: 9,
    ...overrides,
  };
}
