import { spawn } from 'node:child_process';
import { CLI } from '../../../support/cli.js';

export interface LiveServer {
  readonly base: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;

/**
 * The real `embedline serve` in a child process, as an operator runs it, on a free port.
 * Resolves once it reports ready (model loaded); `env` adds to the test's environment.
 */
export async function startLiveServer(env: Record<string, string>): Promise<LiveServer> {
  const child = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`embedline serve not ready after ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const address = /listening on (\S+)/.exec(stderr)?.[1];
      if (address && stderr.includes('embedline: ready')) {
        clearTimeout(timer);
        resolve(address);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedline serve exited with ${code}:\n${stderr}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return {
    base,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
  };
}
