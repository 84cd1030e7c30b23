import { DEFAULT_SHUTDOWN_HOOK_TIMEOUT_MS, type ShutdownHook } from './ports/ShutdownHook.js';

export type ShutdownWarn = (line: string) => void;
const processWarning: ShutdownWarn = (line) => process.emitWarning(line, 'EmbedlineShutdownWarning');

/**
 * Runs every hook at once, each bounded by its own time limit; never rejects. A hook that throws
 * or outlives its limit is reported through `warn` (a process warning by default) and left
 * behind: closing goes on. Resolves with the names of the hooks that did not finish cleanly.
 */
export async function runShutdownHooks(hooks: readonly ShutdownHook[], warn: ShutdownWarn = processWarning): Promise<string[]> {
  const failed: string[] = [];
  await Promise.all(
    hooks.map(async (hook) => {
      const limitMs = hook.timeoutMs ?? DEFAULT_SHUTDOWN_HOOK_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limitMs)));
      try {
        const outcome = await Promise.race([Promise.resolve().then(() => hook.onShutdown()).then(() => 'done' as const), outOfTime]);
        if (outcome === 'timeout') {
          failed.push(hook.name);
          warn(`shutdown hook "${hook.name}" did not finish within ${limitMs} ms; closing without it`);
        }
      } catch (error) {
        failed.push(hook.name);
        warn(`shutdown hook "${hook.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return failed;
}
