import { unlinkSync } from 'node:fs';

/**
 * Fault injection for the fault tests (test/integration/faults), off unless this variable is set:
 * the path of a trigger file. An inference thread that is handed a batch while the file exists
 * deletes it and exits at once, holding the batch, as a thread killed by a native crash would.
 * Deleting is the claim, so exactly one thread of one process crashes per file created.
 */
export const CRASH_TRIGGER_ENV = 'EMBEDLINE_TEST_CRASH_TRIGGER_FILE';

/** Exit code of an injected crash, so a test can tell it from a real one. */
export const INJECTED_CRASH_EXIT_CODE = 70;

const triggerFile = process.env[CRASH_TRIGGER_ENV];

/** Called with a batch in hand; returns at once when injection is off or the file is absent. */
export function crashIfTriggered(): void {
  if (!triggerFile) return;
  try {
    unlinkSync(triggerFile);
  } catch {
    return; // absent, or another thread claimed it first
  }
  process.exit(INJECTED_CRASH_EXIT_CODE);
}
