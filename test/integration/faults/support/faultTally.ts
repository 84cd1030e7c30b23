import type { WorkerLogLine } from '../../sqs/helpers/workerProcess.js';

/** One row of the fault matrix: what happened to every accepted request or message. */
export interface FaultTally {
  readonly fault: string;
  /** Messages the queue accepted (SendMessageBatch) or HTTP requests the server accepted. */
  readonly accepted: number;
  /** Distinct messages whose result is stored (or requests answered with their vectors). */
  readonly completed: number;
  /** Distinct messages delivered more than once (a failed attempt, or redelivered after the fault). */
  readonly retried: number;
  /** Messages in the DLQ at the end, by the reason of their last failure. */
  readonly deadLettered: Readonly<Record<string, number>>;
  /** Requests answered with a typed error instead of vectors (HTTP); by status and code. */
  readonly refused: Readonly<Record<string, number>>;
  /** Accepted and neither completed, dead-lettered, refused with a typed error, nor still queued. Must be 0. */
  readonly lost: number;
  /** Results stored more than once for one message (at-least-once: a redelivery of a finished message). */
  readonly duplicated: number;
  /** How the fault was made, and why the counts are what they are. */
  readonly note: string;
}

export interface SqsRunFacts {
  readonly fault: string;
  /** Producer ids of the messages sent. */
  readonly sentIds: readonly string[];
  /** Producer ids with a stored, readable result at the end. */
  readonly completedIds: readonly string[];
  /** Every worker process's log lines (debug level), dead ones included up to their death. */
  readonly logs: readonly WorkerLogLine[];
  /** Producer ids of the messages in the DLQ at the end. */
  readonly deadLetteredIds: readonly string[];
  /** Messages still in the requests queue at the end (visible or in flight). */
  readonly stillQueued: number;
  /** Ids known to have been stored more than once where logs cannot tell (a worker killed between store and log). */
  readonly extraDuplicates?: number;
  readonly note: string;
}

/** Counts a queue run from the worker logs (`sqs.result_stored`, `sqs.message_failed`) and the sink's contents. */
export function tallySqsRun(facts: SqsRunFacts): FaultTally {
  const sent = new Set(facts.sentIds);
  const completed = new Set(facts.completedIds.filter((id) => sent.has(id)));
  const stores = new Map<string, number>();
  const retried = new Set<string>();
  const lastReason = new Map<string, string>();
  for (const line of facts.logs) {
    const id = typeof line.id === 'string' ? line.id : undefined;
    if (!id || !sent.has(id)) continue;
    if (line.event === 'sqs.result_stored') {
      stores.set(id, (stores.get(id) ?? 0) + 1);
      if (Number(line.receiveCount) > 1) retried.add(id);
    } else if (line.event === 'sqs.message_failed') {
      retried.add(id);
      lastReason.set(id, String(line.reason));
    }
  }
  const dead = facts.deadLetteredIds.filter((id) => sent.has(id) && !completed.has(id));
  const deadLettered: Record<string, number> = {};
  for (const id of dead) deadLettered[lastReason.get(id) ?? 'unknown'] = (deadLettered[lastReason.get(id) ?? 'unknown'] ?? 0) + 1;
  const duplicated = [...stores.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0) + (facts.extraDuplicates ?? 0);
  return {
    fault: facts.fault,
    accepted: sent.size,
    completed: completed.size,
    retried: retried.size,
    deadLettered,
    refused: {},
    lost: sent.size - completed.size - dead.length - facts.stillQueued,
    duplicated,
    note: facts.note,
  };
}

/** The matrix as a Markdown table (the form docs/BENCHMARKS.md keeps). */
export function faultTable(rows: readonly FaultTally[]): string {
  const counts = (r: Readonly<Record<string, number>>): string => {
    const entries = Object.entries(r);
    return entries.length === 0 ? '0' : entries.map(([k, v]) => `${v} (${k})`).join(', ');
  };
  const lines = ['| fault | accepted | completed | retried | to DLQ (reason) | typed error | lost | duplicated |', '|---|---:|---:|---:|---|---|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.fault} | ${r.accepted} | ${r.completed} | ${r.retried} | ${counts(r.deadLettered)} | ${counts(r.refused)} | ${r.lost} | ${r.duplicated} |`);
  return lines.join('\n');
}

/**
 * Stored results whose delete did not go through: refused as stale (the message had been
 * delivered again) or failed. Each such message comes back and is stored again, so this bounds
 * the duplicates a run may have: at-least-once, never a duplicate without a lost delete.
 */
export function unconfirmedDeletes(logs: readonly WorkerLogLine[]): number {
  let count = 0;
  for (const l of logs) {
    if (l.event === 'sqs.delete_stale' || l.event === 'sqs.delete_failed') count++;
    else if (l.event === 'sqs.delete_error') count += Array.isArray(l.messages) ? l.messages.length : 1;
  }
  return count;
}
