/**
 * A command line the user must fix (a bad flag value, a missing required flag): printed without an
 * error code and exits 2 like commander's own parse errors, so scripts can tell "you called it
 * wrong" (2) from "it ran and failed" (1). Invalid configuration files and environment variables
 * stay `EMBEDLINE_CONFIG`.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
