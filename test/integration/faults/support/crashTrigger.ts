import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CRASH_TRIGGER_ENV } from '../../../../core/encoder/crashInjection.js';
import { waitFor } from '../../sqs/helpers/localQueue.js';

/** A trigger file for {@link CRASH_TRIGGER_ENV}: `arm()` makes the next batch an inference thread takes crash it. */
export interface CrashTrigger {
  /** The environment a process needs so its inference threads watch this trigger. */
  readonly env: Record<string, string>;
  /** Creates the file and waits until a thread has claimed it (crashed). */
  crashOnce(timeoutMs?: number): Promise<void>;
}

export function crashTrigger(dir: string, name = 'crash-next-batch'): CrashTrigger {
  const file = join(dir, name);
  return {
    env: { [CRASH_TRIGGER_ENV]: file },
    async crashOnce(timeoutMs = 120_000) {
      await writeFile(file, '');
      await waitFor(() => access(file).then(() => false, () => true), timeoutMs, 'an inference thread to take a batch and crash');
    },
  };
}
