import type { PipelineObserver } from '../ports/PipelineObserver.js';

/** Telemetry never throws into the request path: an observer's failure is logged and dropped. */
export function notifyObservers(observers: readonly PipelineObserver[], call: (observer: PipelineObserver) => void): void {
  for (const observer of observers) {
    try {
      call(observer);
    } catch (error) {
      process.emitWarning(`pipeline observer failed: ${(error as Error).message}`);
    }
  }
}
