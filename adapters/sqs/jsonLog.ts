import type { EmbedlineConfig } from '../../core/config/schema.js';

type Level = EmbedlineConfig['logLevel'];
const RANK: Readonly<Record<Level, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured log lines (one JSON object each) that CloudWatch Logs and `jq` can filter by field. */
export interface JsonLog {
  debug(event: string, fields?: Readonly<Record<string, unknown>>): void;
  info(event: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(event: string, fields?: Readonly<Record<string, unknown>>): void;
  error(event: string, fields?: Readonly<Record<string, unknown>>): void;
}

/**
 * Writes to stderr, so stdout stays free for command output. Logging never throws into the
 * message path: a field that cannot be serialized is replaced by its string form.
 *
 * @example
 * const log = jsonLog('info');
 * log.warn('sqs.message_failed', { messageId, reason: 'malformed_json' });
 */
export function jsonLog(level: Level, write: (line: string) => void = (line) => void process.stderr.write(line)): JsonLog {
  const at = (lineLevel: Level) => (event: string, fields: Readonly<Record<string, unknown>> = {}) => {
    if (RANK[lineLevel] < RANK[level]) return;
    write(`${serialize({ time: new Date().toISOString(), level: lineLevel, event, ...fields })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function serialize(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record, (_key, value: unknown) => (value instanceof Error ? { name: value.name, message: value.message } : value));
  } catch {
    return JSON.stringify(Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)])));
  }
}
