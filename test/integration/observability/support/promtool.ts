import { spawn } from 'node:child_process';

export interface PromtoolResult {
  readonly code: number | null;
  readonly output: string;
}

/**
 * Runs Prometheus' `promtool` (Debian package `prometheus`, installed by
 * scripts/ensure-system-deps.sh before `npm test`), optionally feeding `stdin`.
 */
export function promtool(args: readonly string[], options: { stdin?: string; cwd?: string } = {}): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (error) => reject(new Error(`could not run promtool (apt-get install prometheus): ${error.message}`)));
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(options.stdin ?? '');
  });
}
