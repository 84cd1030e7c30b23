import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../../../support/cli.js';
import { trackChild } from '../../../support/serverChild.js';

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | NodeJS.Signals>;
}

/** `embedline serve --port 0` as its own process; resolves once /health answers 200. */
export async function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const child = trackChild(spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] }));
  let text = '';
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const url = /listening on (http:\/\/[^\s]+)/.exec(text)?.[1];
    if (url && (await fetch(`${url}/health`).then((r) => r.ok, () => false))) return { child, url, stderr: () => text, exited };
    if (child.exitCode !== null) throw new Error(`embedline serve exited (${child.exitCode}):\n${text}`);
    if (Date.now() > deadline) throw new Error(`embedline serve not healthy after 120 s:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
