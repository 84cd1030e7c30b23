import { createHash } from 'node:crypto';

/** Everything besides the text that changes the vector a request gets. */
export interface KeyScope {
  readonly model: string;
  readonly variant: string;
  /** The vector format the request is served in (the precision policy's resolution). */
  readonly precision: string;
  /** Truncation in word pieces (the tokenizer's limit). */
  readonly truncation: number;
}

/**
 * The scope as a JSON array, computed once per request and shared by its texts. A JSON array is
 * self-delimiting, so scope + text is unambiguous even when a caller-given field or the text
 * contains any separator.
 */
export function scopePrefix(scope: KeyScope): string {
  return JSON.stringify([scope.model, scope.variant, scope.precision, scope.truncation]);
}

/**
 * Exact-tier key: SHA-256 over the scope and the text, first 32 hex digits (128 bits: no
 * collision expected in any cache that fits a machine or a Redis).
 *
 * @example
 * textKey(scopePrefix({ model: 'all-MiniLM-L6-v2', variant: 'fp32', precision: 'default', truncation: 256 }), 'hello'); // 't:5d0c…'
 */
export function textKey(prefix: string, text: string): string {
  return 't:' + createHash('sha256').update(prefix).update(text).digest('hex').slice(0, 32);
}

/** Token-level key: the same scope over the token ids the model actually sees (after truncation). */
export function tokenKey(prefix: string, ids: Int32Array): string {
  const bytes = new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength);
  return 'k:' + createHash('sha256').update(prefix).update(bytes).digest('hex').slice(0, 32);
}
