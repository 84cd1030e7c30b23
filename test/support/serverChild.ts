import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** How long a test server gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;
const running = new Set<ChildProcess>();

// A test run that crashes before its after-hooks must not leave servers behind.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** Registers a server process so it is killed if the test run exits without stopping it. */
export function trackChild(child: ChildProcess): ChildProcess {
  running.add(child);
  return child;
}

/** SIGTERM, then SIGKILL if the process has not exited within the grace period. */
export async function terminate(child: ChildProcess): Promise<void> {
  running.delete(child);
  // No pid: the spawn itself failed, so there is nothing to wait for.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Resolves with `port` (or a free one for 0) if nothing listens on it on 127.0.0.1 right now. */
export function probePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err) => reject(new Error(`Port ${port} on 127.0.0.1 is not free; omit the port to get a free one.`, { cause: err })));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
