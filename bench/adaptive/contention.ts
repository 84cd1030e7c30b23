import { Worker } from 'node:worker_threads';

/** Spins one CPU core until stopped: on a CPU device, the "one device slowed" phase. */
export function startContention(): () => Promise<void> {
  const worker = new Worker('const end = () => {}; for (;;) { Math.sqrt(Math.random()); }', { eval: true });
  return async () => {
    await worker.terminate();
  };
}
