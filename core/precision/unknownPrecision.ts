import { EmbedlineError } from '../errors.js';

/**
 * The 400 for a precision nobody serves: names what was asked, every valid name, and (where it
 * helps) how to get more.
 *
 * @example
 * throw unknownPrecision('int4', ['fp32', 'int8']); // precision "int4" is not served here; valid: fp32, int8
 */
export function unknownPrecision(requested: string, valid: readonly string[], hint?: string): EmbedlineError {
  const shown = requested.length > 40 ? `${requested.slice(0, 40)}…` : requested;
  return new EmbedlineError('EMBEDLINE_UNKNOWN_PRECISION', `precision "${shown}" is not served here; valid precisions: ${valid.join(', ')}${hint ? ` (${hint})` : ''}.`, { precision: shown, valid: [...valid] });
}
